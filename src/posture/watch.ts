/** `check --watch`: re-probes every instance, prints per-instance transitions, ends when all are locked down and ready. */
import type { Config } from '../config/types.js';
import { escapeTerminal } from '../util/escape.js';
import { kubeDiscover } from './discover.js';
import { probeInstances, type InstanceResult } from './instances.js';
import { resolveTargets, type Discover } from './targets.js';
import type { Waker } from '../tail/waker.js';

/** Real time; unlike the tailer's `timerWaker`, the timer keeps the process alive (nothing else does in `check --watch`). */
export const realWaker: Waker = { wait: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** What the watch loop needs. */
export interface WatchOptions {
  waker: Waker;
  intervalMs: number;
  write(text: string): void;
  now(): number;
  discover?: Discover;
  /** Stop after this many rounds with exit 1 (tests; unlimited by default). */
  maxRounds?: number;
}

/** Ready: `/readyz` answered 200, or 401 (anonymous is off, so readiness is only visible with credentials). */
export function isReady(r: InstanceResult): boolean {
  return r.readyz === 200 || r.readyz === 401;
}

/** One line describing an instance's state: the non-health probe statuses and the `/readyz` status. */
export function stateOf(r: InstanceResult): string {
  const codes = [...new Set(r.probes.filter((p) => !p.health).map((p) => (p.statusCode === null ? 'no answer' : String(p.statusCode))))].sort();
  return `anonymous ${codes.join('/') || 'not probed'}, /readyz ${r.readyz ?? 'no answer'}`;
}

const VERDICT = { locked_down: 'locked down', exposed: 'EXPOSED', unknown: 'unknown' } as const;

/** The lines to print for the change from `prev` to `cur` (state by instance label). */
export function transitions(prev: ReadonlyMap<string, string>, cur: readonly InstanceResult[], time: string): string[] {
  const out: string[] = [];
  const now = new Set(cur.map((r) => r.apiserver));
  for (const r of cur) {
    const s = stateOf(r);
    const before = prev.get(r.apiserver);
    if (before === s) continue;
    const verdict = `${VERDICT[r.verdict]}${isReady(r) ? '' : ', not ready'}`;
    out.push(`${time} ${escapeTerminal(r.apiserver)}: ${before === undefined ? s : `${before} -> ${s}`} (${verdict})`);
  }
  for (const label of prev.keys()) if (!now.has(label)) out.push(`${time} ${escapeTerminal(label)}: no longer listed`);
  return out;
}

function withReadyz(probe: Config['probe']): Config['probe'] {
  return probe.paths.some((p) => p.split('?')[0] === '/readyz') ? probe : { ...probe, paths: [...probe.paths, '/readyz'] };
}

/** Runs rounds until every instance is locked down and ready (0); returns 1 after `maxRounds`. */
export async function watchCheck(config: Config, o: WatchOptions): Promise<number> {
  const discover = o.discover ?? kubeDiscover(config);
  const probe = withReadyz(config.probe);
  let states = new Map<string, string>();
  let lastError = '';
  for (let round = 1; ; round++) {
    const time = new Date(o.now()).toISOString().slice(11, 19);
    const t = await resolveTargets(config.apiserver, discover);
    if (!t.ok) {
      if (t.error !== lastError) o.write(`${time} ${escapeTerminal(t.error)}\n`);
      lastError = t.error;
    } else {
      lastError = '';
      const results = await probeInstances(t.targets, config.apiserver, probe);
      for (const line of transitions(states, results, time)) o.write(`${line}\n`);
      states = new Map(results.map((r) => [r.apiserver, stateOf(r)]));
      if (results.every((r) => r.verdict === 'locked_down' && isReady(r))) {
        o.write(`${time} all ${results.length} instances locked down and ready\n`);
        return 0;
      }
    }
    if (o.maxRounds !== undefined && round >= o.maxRounds) return 1;
    await o.waker.wait(o.intervalMs);
  }
}
