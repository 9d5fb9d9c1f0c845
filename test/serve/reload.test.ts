/** SIGHUP reload decisions, signal exit codes and the build revision. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src/config/load.js';
import { Logger } from '../../src/log.js';
import { findRevision } from '../../src/metrics/build.js';
import { changedKeys, reloadConfig } from '../../src/serve/reload.js';
import { exitCodeFor } from '../../src/serve/signals.js';
import { loadYamlParser } from '../../src/config/yaml.js';

describe('serve: reload, signals, build revision', () => {
  before(loadYamlParser);
  let dir: string;
  const lines: string[] = [];
  const log = new Logger({}, 'info', (l) => lines.push(l));
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'k8s-anon-reload-')); lines.length = 0; });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('applies reloadable keys, reports the others, and keeps the running configuration when the file is invalid', () => {
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'sources:\n  classes: { lb: [10.0.0.0/8] }\n  maxSeries: 7\nstate:\n  dir: /elsewhere\n');
    const r = reloadConfig(defaultConfig(), file, new Map(), log);
    assert.ok(r.ok);
    assert.deepEqual(r.applied, ['sources.classes', 'sources.maxSeries']);
    assert.deepEqual(r.ignored, ['state.dir']);
    assert.deepEqual(r.config.sources.classes, { lb: ['10.0.0.0/8'] });
    writeFileSync(file, 'sources:\n  maxSeries: -1\n');
    const bad = reloadConfig(defaultConfig(), file, new Map(), log);
    assert.equal(bad.ok, false);
    assert.match(lines.join(''), /"msg":"configuration reload failed; keeping the running configuration".*sources.maxSeries/);
    const flagWins = reloadConfig(defaultConfig(), undefined, new Map([['sources.maxSeries', '9']]), log);
    assert.ok(flagWins.ok && flagWins.config.sources.maxSeries === 9);
    assert.deepEqual(changedKeys(defaultConfig(), defaultConfig()), []);
  });

  it('exit codes: 0 for SIGTERM and SIGINT, 128+n for other terminating signals', () => {
    assert.equal(exitCodeFor('SIGTERM'), 0);
    assert.equal(exitCodeFor('SIGINT'), 0);
    assert.equal(exitCodeFor('SIGUSR2'), 140);
    assert.equal(exitCodeFor('SIGALRM'), 142);
  });

  it('revision: the build-time REVISION file, else unknown outside a git checkout', () => {
    assert.equal(findRevision(dir), 'unknown');
    writeFileSync(join(dir, 'REVISION'), 'not a revision\n');
    assert.equal(findRevision(dir), 'unknown');
    writeFileSync(join(dir, 'REVISION'), '0123456789abcdef0123456789abcdef01234567\n');
    assert.equal(findRevision(dir), '0123456789abcdef0123456789abcdef01234567');
    assert.match(findRevision(process.cwd()), /^[0-9a-f]{40}$|^unknown$/);
  });
});
