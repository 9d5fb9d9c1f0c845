/** The traffic mix and the clock: turns a request count into time-ordered audit lines plus ground truth. */
import * as anon from './anonymous.js';
import * as auth from './authenticated.js';
import { LineHeap, eventLine, type RequestSpec, type Scheduled } from './events.js';
import { Rng, microTime } from './prng.js';

/** What the generated log contains, for checking the report's answers. */
export interface Truth {
  lines: number;
  requests: number;
  anonymous: number;
  anonymousAllowed: number;
  unauthorized: number;
  events: Record<string, number>;
  bindingWritesNamingAnonymous: number;
  bindingWritesUnverified: number;
  silences: number[];
  /** Gaps above 30 s between an event time and the newest earlier one (the analyzer's rule). */
  gapsOver30s: number;
  firstEvent: string;
  lastEvent: string;
}

type Scenario = (rng: Rng) => RequestSpec;

/** Scenario weights per 10,000 requests: 93% authenticated, 5% anonymous, 2% failed authentication. */
export const MIX: [Scenario, number][] = [
  [auth.kubeletLease, 1500], [auth.kubeletGet, 1300], [auth.kubeletStatus, 500], [auth.leaderElection, 900],
  [auth.controller, 2300], [auth.workload, 1900], [auth.watch, 300], [auth.configWrite, 200], [auth.human, 400],
  [anon.healthProbe, 380], [anon.discovery, 60], [anon.scanner, 50], [anon.bootstrap, 4], [anon.leakyRead, 1], [anon.impersonated, 1],
  [anon.unauthenticated, 204],
];

/**
 * A cluster under active probing: 15% of requests anonymous (health probes, discovery and scanners),
 * 5% failed authentication; `generateTraffic` also writes 6% of its lines with sorted keys (a log
 * shipper's order). About 15% of the lines then need more than stage and timestamp.
 */
export const PROBED_MIX: [Scenario, number][] = [
  [auth.kubeletLease, 1290], [auth.kubeletGet, 1120], [auth.kubeletStatus, 430], [auth.leaderElection, 775],
  [auth.controller, 1980], [auth.workload, 1635], [auth.watch, 260], [auth.configWrite, 170], [auth.human, 340],
  [anon.healthProbe, 700], [anon.discovery, 250], [anon.scanner, 530], [anon.bootstrap, 10], [anon.leakyRead, 5], [anon.impersonated, 5],
  [anon.unauthenticated, 500],
];

/** The traffic profiles of the benchmark logs. */
export const PROFILES = { realistic: { mix: MIX, sortedKeys: 0 }, probed: { mix: PROBED_MIX, sortedKeys: 0.06 } } as const;
/** A benchmark log profile name. */
export type Profile = keyof typeof PROFILES;

/** Re-serialises a line with its top-level keys sorted (as `jq -S` or some shippers write it). */
function sortKeys(line: string): string {
  const o = JSON.parse(line) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return JSON.stringify(out).replace(/[&<>]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

const START_US = Date.UTC(2026, 10, 27, 0, 0, 0) * 1000;
const DAY_US = 86_400e6;
/** Silences injected at fractions of the run: [fraction, seconds]. */
const SILENCES: [number, number][] = [[0.4, 45], [0.7, 400]];

interface Counted { anon: boolean; code: number }
/** One event waiting for its stage time; the line is written when it is emitted. */
interface Entry extends Scheduled { spec: RequestSpec; auditID: string; stage: string; receivedUs: number; counted?: Counted }

function pickScenario(rng: Rng, cumulative: number[], total: number, mix: [Scenario, number][]): Scenario {
  const x = rng.next() * total;
  let i = 0;
  while (x >= (cumulative[i] as number)) i++;
  return (mix[i] as [Scenario, number])[0];
}

/** Generates `requests` requests over one simulated day and hands each line (no newline) to `emit`. */
export function generateTraffic(requests: number, seed: number, emit: (line: string) => void, profile: Profile = 'realistic'): Truth {
  const { mix, sortedKeys } = PROFILES[profile];
  if (sortedKeys > 0) {
    const shuffler = new Rng(seed ^ 0x5eed);
    const inner = emit;
    emit = (line) => inner(shuffler.chance(sortedKeys) ? sortKeys(line) : line);
  }
  const rng = new Rng(seed);
  const heap = new LineHeap<Entry>();
  const truth: Truth = { lines: 0, requests: 0, anonymous: 0, anonymousAllowed: 0, unauthorized: 0, events: {}, bindingWritesNamingAnonymous: 0, bindingWritesUnverified: 0, silences: [], gapsOver30s: 0, firstEvent: '', lastEvent: '' };
  const cumulative: number[] = [];
  let acc = 0;
  for (const [, w] of mix) cumulative.push((acc += w));
  const injections = new Map<number, () => RequestSpec>([
    [Math.floor(requests * 0.3), anon.anonymousRoleBinding], [Math.floor(requests * 0.5), anon.metadataBindingWrite],
  ]);
  const silenceAt = new Map(SILENCES.map(([f, s]) => [Math.floor(requests * f), s]));
  const meanGap = DAY_US / requests;
  newestUs = -Infinity;
  let now = START_US;
  let seq = 0;
  const flushUntil = (us: number): void => {
    while (heap.size > 0 && heap.peekUs() <= us) record(heap.pop() as Entry, truth, emit);
  };
  for (let i = 0; i < requests; i++) {
    now += Math.max(1, Math.round(rng.exp(meanGap)));
    const silence = silenceAt.get(i);
    if (silence !== undefined) { now = shiftPending(heap, now, silence * 1e6); truth.silences.push(silence); }
    flushUntil(now);
    const inject = injections.get(i);
    const spec = inject ? inject() : pickScenario(rng, cumulative, acc, mix)(rng);
    if (inject === anon.anonymousRoleBinding) truth.bindingWritesNamingAnonymous++;
    if (inject === anon.metadataBindingWrite) truth.bindingWritesUnverified++;
    seq = schedule(spec, rng.uuid(), now, seq, heap);
  }
  flushUntil(now);
  // The log ends with the last arrival: requests still open (watches) end then, as at an API server shutdown.
  const open: Entry[] = [];
  while (heap.size > 0) open.push(heap.pop() as Entry);
  open.forEach((e, i) => record({ ...e, us: now + 1 + i }, truth, emit));
  return truth;
}

function schedule(spec: RequestSpec, auditID: string, t: number, seq: number, heap: LineHeap<Entry>): number {
  const end = t + spec.latencyUs;
  const counted: Counted = { anon: spec.user.username === 'system:anonymous' || spec.impersonatedUser?.username === 'system:anonymous', code: spec.responseStatus.code as number };
  const at = (us: number, stage: string, c?: Counted): void => { heap.push({ us, seq: seq++, spec, auditID, stage, receivedUs: t, counted: c }); };
  if (spec.plan === 'unauthenticated') {
    at(end, 'ResponseStarted', counted);
    return seq;
  }
  at(t, 'RequestReceived');
  if (spec.plan === 'watch') at(t + 800 + (seq % 1000), 'ResponseStarted');
  at(end, 'ResponseComplete', counted);
  return seq;
}

/** Moves events pending during a silence to its end (in order), so nothing is written during it; returns the new clock. */
function shiftPending(heap: LineHeap<Entry>, now: number, silenceUs: number): number {
  const until = now + silenceUs;
  const moved: Entry[] = [];
  while (heap.peekUs() < until) moved.push(heap.pop() as Entry);
  moved.forEach((e, i) => heap.push({ ...e, us: until + i }));
  return until + moved.length;
}

let newestUs = -Infinity;

function record(e: Entry, truth: Truth, emit: (line: string) => void): void {
  emit(eventLine(e.spec, e.auditID, e.stage, e.stage === 'RequestReceived' ? e.us : e.receivedUs, e.us, microTime));
  truth.lines++;
  truth.events[e.stage] = (truth.events[e.stage] ?? 0) + 1;
  if (truth.firstEvent === '') truth.firstEvent = microTime(e.us);
  else if (e.us - newestUs > 30e6) truth.gapsOver30s++;
  if (e.us > newestUs) { newestUs = e.us; truth.lastEvent = microTime(e.us); }
  if (!e.counted) return;
  truth.requests++;
  if (e.counted.code === 401) truth.unauthorized++;
  if (!e.counted.anon) return;
  truth.anonymous++;
  const c = e.counted.code;
  if ((c >= 200 && c < 300) || c === 101) truth.anonymousAllowed++;
}
