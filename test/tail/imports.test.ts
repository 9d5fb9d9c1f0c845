/** Layering rules around the tailer, checked on the source: no circles, a pure planner, no upward imports. */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './daemon.js';

const SRC = join(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every import and re-export specifier of a file (type-only ones included: a circle of types is still a circle). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm), ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

/** Imports resolved to repository-relative `.ts` paths (package and `node:` imports kept as they are). */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of files(SRC)) {
    g.set(relative(ROOT, f), imports(f).map((s) => (s.startsWith('.') ? relative(ROOT, resolve(dirname(f), s)).replace(/\.js$/, '.ts') : s)));
  }
  return g;
}

function cycle(g: Map<string, string[]>, within: string): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done') return null;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const m of g.get(n) ?? []) if (m.startsWith(within)) { const c = visit(m); if (c) return c; }
    stack.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of g.keys()) if (n.startsWith(within)) { const c = visit(n); if (c) return c; }
  return null;
}

describe('tail: layering rules', () => {
  const g = graph();

  it('src/tail has no import circle', () => {
    assert.equal(cycle(g, 'src/tail/')?.join(' -> ') ?? null, null);
  });

  it('the planner imports nothing (no I/O, no other module)', () => {
    assert.deepEqual(g.get('src/tail/plan.ts'), []);
  });

  it('no file in src/tail imports src/audit', () => {
    const bad = [...g].filter(([f, deps]) => f.startsWith('src/tail/') && deps.some((d) => d.startsWith('src/audit/')));
    assert.deepEqual(bad.map(([f]) => f), []);
  });

  it('no file in src/audit, src/rbac or src/posture imports src/serve', () => {
    const bad = [...g].filter(([f, deps]) => /^src\/(audit|rbac|posture)\//.test(f) && deps.some((d) => d.startsWith('src/serve/')));
    assert.deepEqual(bad.map(([f]) => f), []);
  });

  it('the rule checker sees imports (it can fail)', () => {
    assert.ok(g.get('src/tail/follower.ts')!.includes('src/tail/plan.ts'));
    assert.ok(cycle(new Map([['src/tail/a.ts', ['src/tail/b.ts']], ['src/tail/b.ts', ['src/tail/a.ts']]]), 'src/tail/'));
  });
});
