import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { readdirSync } from 'node:fs';
import { REPO } from '../integration/helpers.js';

/** The instructions of each stage of a Dockerfile (continuation lines joined, comments dropped). */
function stages(text: string): Array<{ from: string; lines: string[] }> {
  const out: Array<{ from: string; lines: string[] }> = [];
  for (const line of text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
    if (/^FROM\s/i.test(line)) out.push({ from: line, lines: [] });
    else out.at(-1)?.lines.push(line);
  }
  return out;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]);
}

describe('container image', () => {
  it("the Dockerfile's runtime stage is FROM scratch with only the root file system, uid 0 and the executable as entrypoint", () => {
    const s = stages(readFileSync(join(REPO, 'Dockerfile'), 'utf8'));
    const runtime = s.at(-1);
    assert.ok(runtime && s.length >= 2, 'multi-stage build');
    assert.match(runtime.from, /^FROM scratch$/i);
    const kinds = runtime.lines.map((l) => (l.split(/\s/)[0] as string).toUpperCase());
    assert.deepEqual(kinds.filter((k) => !['COPY', 'USER', 'EXPOSE', 'ENTRYPOINT', 'CMD', 'LABEL'].includes(k)), [], 'no RUN, no SHELL, no ADD');
    assert.deepEqual(runtime.lines.filter((l) => /^COPY/i.test(l)), ['COPY --from=build /rootfs/ /']);
    assert.ok(runtime.lines.includes('USER 0:0'));
    assert.ok(runtime.lines.includes('ENTRYPOINT ["/usr/bin/k8s-anon-exporter"]'), 'exec form: no shell needed');
    assert.ok(runtime.lines.some((l) => /^CMD \[/.test(l)), 'exec form');
    assert.match(s[0]?.lines.join('\n') ?? '', /deploy\/image\/rootfs\.sh release\/k8s-anon-exporter-\*-linux-x64 \/rootfs/);
  });

  it('rootfs.sh lays out the executable and its runtime libraries, and no shell', function () {
    this.timeout(30_000);
    const dir = mkdtempSync(join(tmpdir(), 'rootfs-'));
    try {
      const r = spawnSync('sh', [join(REPO, 'deploy/image/rootfs.sh'), '/bin/true', dir], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const files = walk(dir).map((f) => `/${relative(dir, f)}`);
      assert.ok(files.includes('/usr/bin/k8s-anon-exporter'));
      for (const f of files.filter((x) => x !== '/usr/bin/k8s-anon-exporter')) assert.match(f, /^\/(usr\/)?lib(64|\/[a-z0-9_-]+-linux-gnu)?\/(ld-linux|lib)[^/]*\.so[.0-9]*$/, f);
      assert.ok(!files.some((f) => /\/(sh|bash|busybox|dash)$/.test(f)), 'no shell');
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
