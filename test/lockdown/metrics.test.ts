import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { Analyzer } from '../../src/audit/analyzer.js';
import { LockdownWindow } from '../../src/lockdown/metrics.js';
import { writeScenario } from './scenario.js';

const END = Date.UTC(2026, 0, 1, 11, 0, 0);

async function breaking(windowSeconds: number, now: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'lockdown-metrics-'));
  try {
    const path = join(dir, 'audit.log');
    writeScenario(path);
    const registry = new Registry();
    const analyzer = new Analyzer({ sourceClasses: {}, sourceAddress: 'last', maxSourceSeries: 50, gapThresholdSeconds: 30, detail: new LockdownWindow(registry, windowSeconds, () => now) });
    for (const line of readFileSync(path, 'utf8').split('\n').filter(Boolean)) { const b = Buffer.from(line); analyzer.line(b, 0, b.length); }
    return (await registry.metrics()).split('\n').filter((l) => l.startsWith('k8s_anon_lockdown_breaking_sources{')).join('\n');
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

describe('k8s_anon_lockdown_breaking_sources (serve)', () => {
  it('counts distinct sources per group within the window, by event time', async () => {
    assert.equal(await breaking(3600, END), [
      'k8s_anon_lockdown_breaking_sources{group="health_probe"} 5',
      'k8s_anon_lockdown_breaking_sources{group="bootstrap"} 1',
      'k8s_anon_lockdown_breaking_sources{group="other_allowed"} 1',
    ].join('\n'));
    assert.equal(await breaking(600, END), [
      'k8s_anon_lockdown_breaking_sources{group="health_probe"} 4',
      'k8s_anon_lockdown_breaking_sources{group="bootstrap"} 0',
      'k8s_anon_lockdown_breaking_sources{group="other_allowed"} 0',
    ].join('\n'));
  });
});
