import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './helpers.js';
import { VERSION } from '../../src/version.js';

const UNIT = join(REPO, 'systemd', 'k8s-anon-exporter.service');
const INSTALL = join(REPO, 'deploy', 'install.sh');
const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;

/** Key=value pairs of the unit's [Service] section (repeated keys collected). */
function serviceKeys(text: string): Map<string, string[]> {
  const section = text.split(/^\[Service\]$/m)[1]?.split(/^\[/m)[0] ?? '';
  const out = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1] as string, [...(out.get(m[1] as string) ?? []), m[2] as string]);
  }
  return out;
}

describe('integration: systemd unit and install script', function () {
  this.timeout(90_000);
  const dirs: string[] = [];
  const tmp = (p: string) => { const d = mkdtempSync(join(tmpdir(), p)); dirs.push(d); return d; };
  after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

  it('has the hardening and least-privilege keys the design asks for', () => {
    const k = serviceKeys(readFileSync(UNIT, 'utf8'));
    const want: Record<string, RegExp> = {
      ExecStart: /^\/usr\/local\/bin\/k8s-anon-exporter serve --config=\/etc\/k8s-anon-exporter\/config\.yaml$/,
      CapabilityBoundingSet: /^CAP_DAC_READ_SEARCH$/, NoNewPrivileges: /^yes$/, ProtectSystem: /^strict$/,
      ReadOnlyPaths: /\/var\/log\/kubernetes/, StateDirectory: /^k8s-anon-exporter$/, PrivateTmp: /^yes$/, ProtectHome: /^yes$/,
      RestrictAddressFamilies: /^AF_INET AF_INET6 AF_UNIX$/, SystemCallFilter: /^@system-service$/, MemoryMax: /^\d+[KMG]$/,
      Restart: /^always$/, RestartPreventExitStatus: /^1$/, ExecReload: /^\/bin\/kill -HUP \$MAINPID$/,
    };
    for (const [key, re] of Object.entries(want)) assert.ok(k.get(key)?.some((v) => re.test(v)), `${key} matches ${re}`);
    assert.equal(k.get('MemoryDenyWriteExecute'), undefined, 'V8 needs W+X memory');
    for (const v of k.get('ReadOnlyPaths') ?? []) {
      for (const path of v.split(/\s+/)) assert.match(path, /^-\//, `optional path ${path} has the "-" prefix`);
    }
  });

  it('passes systemd-analyze verify', function () {
    if (!has('systemd-analyze')) this.skip();
    // verify checks ExecStart exists and resolves dependencies: give it a root with both.
    const root = tmp('unit-root-');
    mkdirSync(join(root, 'usr/local/bin'), { recursive: true });
    writeFileSync(join(root, 'usr/local/bin/k8s-anon-exporter'), '#!/bin/sh\n');
    chmodSync(join(root, 'usr/local/bin/k8s-anon-exporter'), 0o755);
    mkdirSync(join(root, 'bin'), { recursive: true });
    writeFileSync(join(root, 'bin/kill'), '#!/bin/sh\n', { mode: 0o755 });
    if (existsSync('/usr/lib/systemd/system')) cpSync('/usr/lib/systemd/system', join(root, 'usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
    mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
    cpSync(UNIT, join(root, 'etc/systemd/system/k8s-anon-exporter.service'));
    const r = spawnSync('systemd-analyze', ['verify', `--root=${root}`, 'k8s-anon-exporter.service'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.trim(), '', 'no warnings (unknown keys, bad values)');
  });

  it('has a low systemd-analyze security exposure score, quoted in the docs', function () {
    if (!has('systemd-analyze')) this.skip();
    const r = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', UNIT], { encoding: 'utf8' });
    const m = /Overall exposure level for k8s-anon-exporter\.service: (\d+\.\d)/.exec(r.stdout);
    assert.ok(m, r.stdout.slice(-500) + r.stderr);
    assert.ok(Number(m[1]) <= 3, `exposure ${m[1]}`);
    assert.match(readFileSync(join(REPO, 'README.md'), 'utf8'), new RegExp(`exposure level[^\\n]*${m[1].replace('.', '\\.')}`));
  });

  it('installs the program, unit and config idempotently, keeping an edited config', () => {
    assert.ok(existsSync(join(REPO, 'dist', 'src', 'cli.js')), 'dist/ is built (npm test runs npm run build)');
    const root = tmp('install-root-');
    mkdirSync(join(root, 'etc/netdata'), { recursive: true });
    const run = () => spawnSync('sh', [INSTALL, '--root', root], { encoding: 'utf8' });
    const first = run();
    assert.equal(first.status, 0, first.stderr);
    const health = readdirSync(join(REPO, 'netdata-config', 'health.d')).filter((f) => f.endsWith('.conf'));
    assert.equal((first.stdout.match(/^installed /gm) ?? []).length, 6 + health.length, first.stdout);
    for (const f of health) assert.equal(readFileSync(join(root, 'etc/netdata/health.d', f), 'utf8'), readFileSync(join(REPO, 'netdata-config', 'health.d', f), 'utf8'), `health.d/${f} installed`);
    const cfg = join(root, 'etc/k8s-anon-exporter/config.yaml');
    writeFileSync(cfg, 'web:\n  listen: 127.0.0.1:19200\n');
    const second = run();
    assert.equal(second.status, 0, second.stderr);
    assert.doesNotMatch(second.stdout, /^installed /m, second.stdout);
    assert.equal(readFileSync(cfg, 'utf8'), 'web:\n  listen: 127.0.0.1:19200\n', 'edited config kept');
    assert.equal(readFileSync(join(root, 'etc/systemd/system/k8s-anon-exporter.service'), 'utf8'), readFileSync(UNIT, 'utf8'));
    const v = spawnSync(process.execPath, [join(root, 'opt/k8s-anon-exporter/bin/k8s-anon-exporter.js'), '--version'], { encoding: 'utf8' });
    assert.equal(v.stdout.trim(), VERSION, v.stderr);
    assert.ok(!existsSync(join(root, 'opt/k8s-anon-exporter/node_modules/typescript')), 'no dev dependencies');
  });
});
