/** Writes the demo's audit log like kube-apiserver does: appends, lumberjack rotation, a silence. */
import { appendFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIO_SECONDS, secondOfTraffic } from './scenario.js';

/** Timing of the simulated API server, in simulated seconds. */
export interface SimulatorPlan {
  /** Seconds of history written at once, so counts show immediately. */
  backlogSeconds: number;
  /** The audit log goes silent from this second... */
  silenceFrom: number;
  /** ...for this many seconds. */
  silenceSeconds: number;
  /** Rotate once the live file exceeds this many bytes. */
  rotateBytes: number;
}

/** The default plan: 10 s of history, a 45 s silence after 25 s, rotation every ~1 MB (about 35 s); the silence repeats with the scenario. */
export const DEFAULT_PLAN: SimulatorPlan = { backlogSeconds: 10, silenceFrom: 25, silenceSeconds: 45, rotateBytes: 1_000_000 };

function backupName(ms: number): string {
  return `audit-${new Date(ms).toISOString().replace(/:/g, '-').replace('Z', '')}.log`;
}

/** A simulated API server audit writer in `dir`. */
export class Simulator {
  readonly path: string;
  private second = 0;
  rotations = 0;

  constructor(private readonly dir: string, private readonly plan: SimulatorPlan = DEFAULT_PLAN) {
    this.path = join(dir, 'audit.log');
    writeFileSync(this.path, '', { mode: 0o600 });
  }

  /** Writes the backlog: the first seconds, timestamped in the recent past. */
  backlog(nowMs: number): void {
    for (let i = 0; i < this.plan.backlogSeconds; i++) this.write(nowMs - (this.plan.backlogSeconds - i) * 1000);
  }

  /** Writes one more second of traffic at `nowMs`, unless the simulated log is in its silence. */
  tick(nowMs: number): void {
    const s = this.second % SCENARIO_SECONDS;
    if (s >= this.plan.silenceFrom && s < this.plan.silenceFrom + this.plan.silenceSeconds) { this.second++; return; }
    this.write(nowMs);
  }

  /** True while the simulated silence lasts. */
  silent(): boolean {
    const s = this.second % SCENARIO_SECONDS;
    return s > this.plan.silenceFrom && s <= this.plan.silenceFrom + this.plan.silenceSeconds;
  }

  private write(ms: number): void {
    const lines = secondOfTraffic(this.second++, ms);
    if (statSync(this.path).size > this.plan.rotateBytes) this.rotate(ms);
    appendFileSync(this.path, `${lines.join('\n')}\n`);
  }

  private rotate(ms: number): void {
    renameSync(this.path, join(this.dir, backupName(ms)));
    writeFileSync(this.path, '', { mode: 0o600 });
    this.rotations++;
  }
}
