/** The performance targets, judged on the medians. */
import { mbps } from './measure.js';

/** Medians the targets are judged on (seconds, bytes, KiB). */
export interface Figures {
  bytes: number;
  reportS: number;
  reportCpuS: number;
  pipelineS: number;
  pipelineCpuS: number;
  reportRssKB: number;
  serveS: number;
  serveListenS: number;
  serveCpuS: number;
}

/** One target and whether the median meets it. */
export interface Verdict { target: string; measured: string; met: boolean }

/** Evaluates the four targets of issue 2, acceptance point 5. */
export function verdicts(f: Figures): Verdict[] {
  const reportMBps = mbps(f.bytes, f.reportS);
  const ratio = f.reportS / f.pipelineS;
  const rssMB = (f.reportRssKB * 1024) / 1e6;
  const serveShare = f.reportS / f.serveS;
  return [
    { target: '`report` throughput ≥ 600 MB/s on one core, full answers', measured: `${reportMBps.toFixed(0)} MB/s (${(f.bytes / 1e6).toFixed(0)} MB in ${f.reportS.toFixed(2)} s wall; ${mbps(f.bytes, f.reportCpuS).toFixed(0)} MB/s per CPU second)`, met: reportMBps >= 600 },
    { target: '`report` time ≤ 1.5 × the grep\\|jq pipeline', measured: `${ratio.toFixed(2)} × (${f.reportS.toFixed(2)} s against ${f.pipelineS.toFixed(2)} s wall; CPU time ${(f.reportCpuS / f.pipelineCpuS).toFixed(2)} ×)`, met: ratio <= 1.5 },
    { target: '`report` peak RSS ≤ 150 MB', measured: `${rssMB.toFixed(0)} MB (${(f.reportRssKB / 1024).toFixed(0)} MiB)`, met: rssMB <= 150 },
    { target: '`serve` catch-up ≥ 80% of `report`\'s speed', measured: `${(100 * serveShare).toFixed(0)}% from spawn (${mbps(f.bytes, f.serveS).toFixed(0)} MB/s); ${(100 * f.reportS / f.serveListenS).toFixed(0)}% from listening (${mbps(f.bytes, f.serveListenS).toFixed(0)} MB/s); by CPU time ${(100 * f.reportCpuS / f.serveCpuS).toFixed(0)}% (${mbps(f.bytes, f.serveCpuS).toFixed(0)} MB/s per CPU second)`, met: serveShare >= 0.8 },
  ];
}

/** The summary section at the top of BENCHMARKS.md. */
export function targetsSection(f: Figures): string {
  const v = verdicts(f);
  const rows = v.map((x) => `| ${x.target} | ${x.measured} | ${x.met ? 'met' : '**missed**'} |`);
  const missed = v.filter((x) => !x.met).length;
  return [
    '## Targets (issue 2, acceptance 5)', '',
    '| target | median | result |', '| --- | --- | --- |', ...rows, '',
    missed === 0 ? 'All targets are met.' : `${missed} of ${v.length} targets missed on this run; the CPU profile below shows where the time goes.`,
  ].join('\n');
}
