import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SCHEMA } from '../../src/config/schema.js';
import { defaultConfig, loadConfig } from '../../src/config/load.js';
import { defaultText } from '../../src/docgen/config-doc.js';
import { LITERALS } from '../../src/docgen/literals.js';
import { generate } from '../../src/docgen/main.js';
import { metricDocs } from '../../src/docgen/metrics-doc.js';
import { documentationRegistry } from '../../src/docgen/registry.js';
import { REPO } from '../integration/helpers.js';
import { REQUIRED_DOCS, brokenLinks, checkTarget, markdownFiles } from './links.js';
import { loadYamlParser } from '../../src/config/yaml.js';

const read = (...p: string[]) => readFileSync(join(REPO, ...p), 'utf8');

describe('docs: README front door, docs/ links, generated references', () => {
  before(loadYamlParser);
  it('the README is a front door of at most 300 lines that starts with the demo and test commands', () => {
    const lines = read('README.md').split('\n');
    assert.ok(lines.length <= 300, `README has ${lines.length} lines`);
    const head = lines.slice(0, 60).join('\n');
    assert.match(head, /npm ci && npm run demo/);
    assert.match(head, /npm ci && npm test/);
    assert.doesNotMatch(read('README.md'), /\bcontract\b|SPEC/);
    for (const f of markdownFiles(join(REPO, 'docs'))) assert.doesNotMatch(readFileSync(f, 'utf8'), /\bthe contract\b|SPEC §/, f);
  });

  it('every relative link in README.md and docs/ resolves, anchors included', () => {
    const files = [join(REPO, 'README.md'), ...markdownFiles(join(REPO, 'docs'))];
    assert.deepEqual(files.flatMap((f) => brokenLinks(REPO, f)), []);
    const linked = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const d of REQUIRED_DOCS) assert.ok(linked.includes(d.replace(/^docs\//, '')), `${d} is linked`);
  });

  it('every dashboard panel links a docs section that exists', () => {
    const dash = JSON.parse(read('dashboards', 'grafana', 'k8s-anon.json')) as { panels: Array<{ title: string; type: string; description?: string }> };
    for (const p of dash.panels.filter((x) => x.type !== 'row')) {
      const m = /Docs: \[([\w-]+\.md#[\w-]+)\]/.exec(p.description ?? '');
      assert.ok(m, `${p.title} links a doc section`);
      assert.deepEqual(checkTarget(REPO, join(REPO, 'docs'), m[1] as string), [], p.title);
    }
  });

  it('the configuration doc lists every schema key with its default', () => {
    const doc = read('docs', 'configuration.md');
    for (const k of SCHEMA) assert.ok(doc.includes(`| \`${k.key}\` | ${defaultText(k)} |`), `${k.key} with default ${defaultText(k)}`);
  });

  it('deploy/config.example.yaml lists every key and loads to the defaults', () => {
    const text = read('deploy', 'config.example.yaml');
    const uncommented = parse(text) as Record<string, unknown>;
    for (const k of SCHEMA) {
      const get = (o: unknown) => k.key.split('.').reduce<unknown>((a, p) => (a as Record<string, unknown> | undefined)?.[p], o);
      const leaf = k.key.split('.').pop() as string;
      assert.ok(get(uncommented) !== undefined || (k.default === undefined && new RegExp(`^\\s+# ${leaf}:`, 'm').test(text)), `${k.key} is in the example`);
    }
    assert.deepEqual(loadConfig(join(REPO, 'deploy', 'config.example.yaml')), defaultConfig());
  });

  it('the metrics doc lists every metric the registry exposes, with type and labels', async () => {
    const doc = read('docs', 'metrics.md');
    const metrics = await metricDocs(documentationRegistry());
    assert.ok(metrics.length >= 30);
    for (const m of metrics) assert.ok(doc.includes(`### ${m.name}\n\n${m.type}; labels: `), m.name);
    assert.ok(metrics.find((m) => m.name === 'k8s_anon_requests_total')?.labels.includes('source_class'));
  });

  it('the generated docs are fresh', async () => {
    assert.deepEqual(await generate('docs', true), [], 'stale: run `npm run docs` and commit the result');
  });

  it('the WebAssembly scanner embedded in src/audit/scanner-wasm.ts is what assembly/*.ts compiles to', async () => {
    assert.deepEqual(await generate('wasm', true), [], 'stale: run `npm run wasm` and commit the result');
  });

  it('the fast path\'s generated literal matchers are fresh, and each matches its literal and nothing one byte off', async () => {
    assert.deepEqual(await generate('literals', true), [], 'stale: run `npm run literals` and commit the result');
    const matchers = await import('../../src/audit/literals.js') as unknown as Record<string, (b: Buffer, p: number) => boolean>;
    for (const [name, lit] of Object.entries(LITERALS)) {
      const m = matchers[name];
      assert.ok(m, name);
      const bytes = Buffer.from(`xx${lit}`, 'latin1');
      assert.equal(m(bytes, 2), true, name);
      assert.equal(m(bytes, 1), false, `${name} one byte early`);
      assert.equal(m(bytes.subarray(0, bytes.length - 1), 2), false, `${name} cut short`);
      for (let i = 0; i < lit.length; i++) {
        const off = Buffer.from(bytes);
        off[2 + i] = (off[2 + i] as number) ^ 1;
        assert.equal(m(off, 2), false, `${name} with byte ${i} changed`);
      }
    }
  });
});

describe('docs: runbooks', () => {
  const runbooks = new Set(readdirSync(join(REPO, 'docs', 'runbooks')).map((f) => f.replace(/\.md$/, '')));
  const snake = (camel: string) => camel.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase();

  it('every Prometheus alert has a runbook with the six sections, named by its runbook_url', () => {
    const rules = parse(read('dashboards', 'prometheus', 'k8s-anon-rules.yaml')) as { groups: Array<{ rules: Array<{ alert?: string; annotations?: Record<string, string> }> }> };
    const alerts = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert);
    for (const a of alerts) {
      const name = snake(a.alert as string);
      assert.ok(runbooks.has(name), `docs/runbooks/${name}.md`);
      assert.ok(a.annotations?.runbook_url?.endsWith(`/${name}.md`), `${a.alert} runbook_url`);
      const text = read('docs', 'runbooks', `${name}.md`);
      for (const h of ['What fired', 'What it means', 'What it does not mean', 'First three commands', 'How to fix the cause', 'How to confirm it cleared']) {
        assert.match(text, new RegExp(`^## ${h}$`, 'm'), `${name}: ${h}`);
      }
      assert.match(read('docs', 'alerting.md'), new RegExp(`\`${a.alert}\``), `${a.alert} in docs/alerting.md`);
    }
    assert.equal(runbooks.size, new Set(alerts.map((a) => a.alert)).size, 'no runbook without an alert');
  });

  it('every Netdata alarm in every health.d file has a runbook its info line names', () => {
    const dir = join(REPO, 'netdata-config', 'health.d');
    const files = readdirSync(dir).filter((f) => f.endsWith('.conf'));
    let count = 0;
    for (const f of files) {
      for (const entry of readFileSync(join(dir, f), 'utf8').split(/\n(?=[ \t]*(?:template|alarm):)/).slice(1)) {
        const name = /^[ \t]*(?:template|alarm):\s*(\S+)/.exec(entry)?.[1] as string;
        const info = /^\s*info:\s*(.*)$/m.exec(entry)?.[1] ?? '';
        assert.ok(runbooks.has(name), `${f}: ${name} has docs/runbooks/${name}.md`);
        assert.ok(info.endsWith(`Runbook: docs/runbooks/${name}.md`), `${f}: ${name} info names its runbook`);
        count += 1;
      }
    }
    assert.ok(count >= 11, `${count} alarms`);
  });
});
