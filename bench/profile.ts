/** CPU profile of one `report` run: the functions with the most self time. */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** Self time of one function in a profile. */
export interface HotFunction { name: string; location: string; selfMs: number; percent: number }

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** Aggregates a V8 `.cpuprofile` into per-function self time, largest first. */
export function summariseProfile(p: CpuProfile, root: string, top = 15): HotFunction[] {
  const perNode = new Map<number, number>();
  p.samples.forEach((id, i) => perNode.set(id, (perNode.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const agg = new Map<string, HotFunction>();
  let total = 0;
  for (const [id, us] of perNode) {
    const f = (byId.get(id) as ProfileNode).callFrame;
    const url = f.url.startsWith('file://') ? relative(root, new URL(f.url).pathname) : f.url;
    const location = url ? `${url}:${f.lineNumber + 1}` : '';
    const name = f.functionName || '(anonymous)';
    const key = `${name}@${location}`;
    const h = agg.get(key) ?? { name, location, selfMs: 0, percent: 0 };
    h.selfMs += us / 1000;
    agg.set(key, h);
    total += us;
  }
  const list = [...agg.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, top);
  for (const h of list) h.percent = (100 * h.selfMs * 1000) / total;
  return list;
}

/** Runs `node --cpu-prof <cli> <args>` (stdout discarded) and summarises the profile. */
export async function profileCommand(cli: string, args: string[], cwd: string, top = 15): Promise<HotFunction[]> {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-prof-'));
  const devnull = openSync('/dev/null', 'w');
  try {
    const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, cli, ...args], { cwd, stdio: ['ignore', devnull, 'ignore'] });
    await new Promise<void>((res, rej) => { child.once('error', rej); child.once('close', () => res()); });
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('no CPU profile written');
    return summariseProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, cwd, top);
  } finally {
    closeSync(devnull);
    rmSync(dir, { recursive: true, force: true });
  }
}
