import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand } from '../../src/config/cli.js';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { runCli } from '../helpers/cli.js';
import { loadYamlParser } from '../../src/config/yaml.js';

const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-config-'));
const file = (text: string): string => { const p = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`); writeFileSync(p, text); return p; };

describe('configuration', () => {
  before(loadYamlParser);
  it('has the contract defaults', () => {
    const c = loadConfig(undefined);
    assert.equal(c.audit.path, '/var/log/kubernetes/audit/audit.log');
    assert.equal(c.audit.startAt, 'end');
    assert.equal(c.audit.maxLineBytes, 16 * 1024 * 1024);
    assert.equal(c.web.listen, '127.0.0.1:19100');
    assert.equal(c.sources.maxSeries, 50);
    assert.equal(c.sources.address, 'last');
    assert.equal(c.gaps.thresholdSeconds, 30);
    assert.equal(c.rbac.enabled, 'auto');
    assert.deepEqual(c.rbac.expected, ['ClusterRoleBinding/system:public-info-viewer', 'RoleBinding/kube-public/kubeadm:bootstrap-signer-clusterinfo']);
    assert.equal(c.probe.enabled, true);
    assert.equal(c.canary.enabled, false);
    assert.equal(c.canary.timeoutSeconds, 30);
    assert.equal(c.probe.paths.length, 7);
  });

  it('reads YAML and lets dotted flags override it', () => {
    const p = file('audit:\n  path: /x/audit.log\n  startAt: beginning\nsources:\n  classes:\n    loadbalancer: [10.0.0.0/24, "fd00::/64"]\n');
    const args = parseCommand({ name: 'serve', maxPositionals: 1 }, ['--config', p, '--audit.path=/y/audit.log', '--web.listen', '127.0.0.1:1234', 'pos']);
    const c = loadConfig(args.values.config as string, args.overrides);
    assert.equal(c.audit.path, '/y/audit.log');
    assert.equal(c.audit.startAt, 'beginning');
    assert.equal(c.web.listen, '127.0.0.1:1234');
    assert.deepEqual(c.sources.classes, { loadbalancer: ['10.0.0.0/24', 'fd00::/64'] });
    assert.deepEqual(args.positionals, ['pos']);
  });

  it('reports every problem at once, each naming its key', () => {
    const p = file('audit:\n  startAt: middle\n  bogus: 1\nsources:\n  classes:\n    lb: [10.0.0.0/33]\n');
    try {
      loadConfig(p, new Map([['gaps.thresholdSeconds', 'soon'], ['web.nope', 'x']]));
      assert.fail('no error');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      const keys = e.problems.map((x) => x.split(':')[0]);
      assert.deepEqual(keys.sort(), ['--web.nope', 'audit.bogus', 'audit.startAt', 'gaps.thresholdSeconds', 'sources.classes'].sort());
    }
  });

  it('serve exits 1 with one message before doing anything', async () => {
    const r = await runCli(['serve', '--audit.startAt=sideways', '--sources.maxSeries=-1', `--state.dir=${join(dir, 'never')}`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /audit\.startAt: must be one of end, beginning/);
    assert.match(r.stderr, /sources\.maxSeries: must be >= 0/);
    assert.equal((r.stderr.match(/invalid configuration/g) ?? []).length, 1);
  });
});
