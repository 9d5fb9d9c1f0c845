import assert from 'node:assert/strict';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.js';
import { parseCommand, UsageError, type CommandDef } from '../../src/config/cli.js';
import { VERSION } from '../../src/version.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-options-'));
const COMMANDS = ['serve', 'report', 'rbac', 'check', 'netdata-plugin', 'demo'];

/** Runs `main` in this process and captures what it writes to stdout and stderr. */
async function inProcess(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const w1 = process.stdout.write.bind(process.stdout);
  const w2 = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => { out.push(String(s)); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { err.push(String(s)); return true; }) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
  }
}

describe('strict options', () => {
  it('serve --confg=FILE is rejected, naming the option, before anything runs', async () => {
    const state = join(dir, 'serve-state');
    const r = await runCli(['serve', '--confg=/etc/k8s-anon-exporter.yaml', `--state.dir=${state}`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /serve: unknown option --confg\b/);
    assert.equal(existsSync(state), false);
  });

  it('report --formt=json is rejected, naming the option', async () => {
    const r = await runCli(['report', '--formt=json', '-'], '');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /report: unknown option --formt\b/);
    assert.equal(r.stdout, '');
  });

  it('serve --version prints the version and exits 0 instead of starting the daemon', async () => {
    const r = await runCli(['serve', '--version', `--state.dir=${join(dir, 'v')}`]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${VERSION}\n`);
  });

  it('stray positionals are rejected, naming them', async () => {
    for (const [cmd, extra] of [['serve', 'audit.log'], ['check', 'now'], ['rbac', 'x'], ['demo', '60'], ['netdata-plugin', '2']] as const) {
      const argv = cmd === 'netdata-plugin' ? [cmd, '1', extra] : [cmd, extra];
      const r = await inProcess(argv);
      assert.equal(r.code, 1, cmd);
      assert.match(r.stderr, new RegExp(`${cmd}: unexpected argument "${extra}"`));
    }
  });

  it('every command answers -h, --help, -V and --version', async () => {
    for (const cmd of COMMANDS) {
      for (const flag of ['-h', '--help']) {
        const r = await inProcess([cmd, flag]);
        assert.equal(r.code, 0, `${cmd} ${flag}`);
        assert.match(r.stdout, new RegExp(`^Usage: k8s-anon-exporter ${cmd} `));
        assert.match(r.stdout, /-h, --help/);
        assert.match(r.stdout, /-V, --version/);
      }
      for (const flag of ['-V', '--version']) assert.deepEqual(await inProcess([cmd, flag]), { code: 0, stdout: `${VERSION}\n`, stderr: '' });
    }
    assert.equal((await inProcess(['-V'])).stdout, `${VERSION}\n`);
    assert.match((await inProcess(['-h'])).stdout, /Commands:/);
  });

  it('--help lists the allowed values of enum options and enum configuration keys', async () => {
    const report = (await inProcess(['report', '--help'])).stdout;
    assert.match(report, /--format=text\|json/);
    assert.match(report, /--sources\.address=last\|first/);
    const serve = (await inProcess(['serve', '--help'])).stdout;
    assert.match(serve, /--audit\.startAt=end\|beginning/);
    assert.match(serve, /--log\.level=debug\|info\|warn\|error/);
  });

  it('bad values and missing values name the option', async () => {
    const bad = await inProcess(['check', '--format=xml']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--format must be one of text, json; got "xml"/);
    const missing = await inProcess(['rbac', '--format']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /option --format: needs a value/);
    const flagValue = await inProcess(['serve', '--help=yes']);
    assert.equal(flagValue.code, 1);
    assert.match(flagValue.stderr, /option --help: takes no value/);
    const dotted = await inProcess(['serve', '--audit.pth=/x']);
    assert.equal(dotted.code, 1);
    assert.match(dotted.stderr, /--audit\.pth: unknown key/);
    const duration = await inProcess(['demo', '--duration=soon']);
    assert.equal(duration.code, 1);
    assert.match(duration.stderr, /--duration must be a number/);
  });

  it('parses dotted configuration flags in both spellings and keeps - and -- positionals', () => {
    const def: CommandDef = { name: 't', maxPositionals: 5, options: [{ name: 'format', type: 'string', values: ['text', 'json'], default: 'text', help: '' }] };
    const r = parseCommand(def, ['--audit.path=/a', '--web.listen', '127.0.0.1:1', '-', '--', '--literal']);
    assert.deepEqual([...r.overrides], [['audit.path', '/a'], ['web.listen', '127.0.0.1:1']]);
    assert.deepEqual(r.positionals, ['-', '--literal']);
    assert.equal(r.values.format, 'text');
    assert.throws(() => parseCommand({ ...def, configKeys: false }, ['--audit.path=/a']), (e: unknown) => e instanceof UsageError && /--audit\.path/.test(e.message));
  });
});
