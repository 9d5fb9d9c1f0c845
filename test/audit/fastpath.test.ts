import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analyzer } from '../../src/audit/analyzer.js';
import { fastScan, type FastResult } from '../../src/audit/fastpath.js';
import { LineSplitter } from '../../src/tail/lines.js';
import { SCAN_DECLINED, SCAN_EXTRACTED, WasmScanner } from '../../src/audit/wasmscan.js';
import { ANONYMOUS, eventLine } from '../../src/demo/events.js';
import { PUBLIC_FIXTURES, ROOT } from '../helpers/cli.js';

function run(input: Buffer, mode: 'wasm' | 'js' | 'full'): unknown {
  const a = new Analyzer({ sourceClasses: {}, sourceAddress: 'last', maxSourceSeries: 50, gapThresholdSeconds: 1, fastPath: mode !== 'full', scanner: mode === 'js' ? 'js' : 'wasm' });
  const s = new LineSplitter(1 << 24, a);
  s.push(input);
  s.finish();
  return a.snapshot();
}

const scanner = WasmScanner.create();

/** What the WebAssembly scanner makes of each line of `text` (whole lines): [stage index, time] when taken, else null. */
function wasmVerdicts(text: Buffer): ([number, number] | null)[] {
  assert.ok(scanner, 'WebAssembly with SIMD is available');
  const w = scanner;
  const out: ([number, number] | null)[] = [];
  for (let start = 0; start < text.length;) {
    const stop = Math.min(text.length, text.lastIndexOf(10, start + w.inputs[0].length - 1) + 1);
    text.copy(w.mem, w.base, start, stop);
    for (let p = w.base; p < w.base + stop - start;) {
      const stopped = w.scan(p, w.base + stop - start, 1 << 30);
      for (let k = 0; k < (w.state[0] as number); k++) out.push([w.stages[k] as number, w.times[k] as number]);
      if (stopped === SCAN_DECLINED || stopped === SCAN_EXTRACTED) out.push(null);
      p = w.state[3] as number;
    }
    start = stop;
  }
  return out;
}

const STAGE_INDEX: Record<FastResult['stage'], number> = { RequestReceived: 0, ResponseStarted: 1, ResponseComplete: 2, Panic: 3 };

/** What the JavaScript fast path makes of each line of `text`, in the same form. */
function jsVerdicts(text: Buffer): ([number, number] | null)[] {
  const out: ([number, number] | null)[] = [];
  const r: FastResult = { stage: 'RequestReceived', timeMs: 0 };
  for (let s = 0; s < text.length;) {
    const nl = text.indexOf(10, s);
    out.push(fastScan(text, s, nl, r) ? [STAGE_INDEX[r.stage], r.timeMs] : null);
    s = nl + 1;
  }
  return out;
}

/** Whether the fast path takes `line`, read from a chunk in which the next line follows it; both scanners must agree. */
function take(line: string): boolean {
  const out: FastResult = { stage: 'RequestReceived', timeMs: 0 };
  const js = fastScan(Buffer.from(`${line}\n{}`), 0, Buffer.byteLength(line), out);
  assert.equal(wasmVerdicts(Buffer.from(`${line}\n`))[0] !== null, js, `the WebAssembly scanner disagrees on ${line}`);
  return js;
}

function randomLines(n: number): string {
  let seed = 7;
  const r = (k: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % k; };
  const users = [ANONYMOUS, {}, { username: 'alice', groups: ['system:authenticated'] }, { username: 'system:anonymousish' }];
  const stages = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
  const refs = [undefined, { resource: 'pods' }, { resource: 'rolebindings', apiGroup: 'rbac.authorization.k8s.io', namespace: 'a' },
    { resource: 'clusterrolebindings', apiGroup: 'rbac.authorization.k8s.io' }, { resource: 'secrets', name: 'x' }];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const ref = refs[r(refs.length)];
    out.push(eventLine({
      stage: stages[r(4)] as typeof stages[number], uri: ref ? `/api/v1/${ref.resource}` : ['/healthz', '/api', '/', '/metrics'][r(4)] as string,
      verb: ['get', 'list', 'create', 'delete', 'patch', 'watch'][r(6)] as string, user: users[r(users.length)],
      impersonatedUser: r(10) === 0 ? { username: 'system:anonymous' } : undefined, sourceIPs: [`10.0.${r(3)}.${r(5)}`],
      userAgent: r(2) ? 'ua "quoted" \\ back' : undefined, objectRef: ref, code: [200, 201, 401, 403, 404, 500, 101][r(7)],
      level: r(3) === 0 ? 'RequestResponse' : 'Metadata',
      requestObject: r(3) === 0 ? { subjects: [{ kind: 'Group', name: r(2) ? 'system:unauthenticated' : 'devs' }] } : undefined,
      auditID: r(5) === 0 ? 'id with \\"stage\\":\\"Panic\\" inside' : undefined, timeMs: Date.UTC(2025, 0, 1) + i * 700 + r(3000),
    }));
  }
  return `${out.join('\n')}\n`;
}

describe('fast path', () => {
  it('counts exactly what the full parse counts, on fixtures and 20,000 random events', () => {
    const inputs = [
      readFileSync(join(ROOT, 'test/fixtures/audit/stages.jsonl')),
      readFileSync(join(PUBLIC_FIXTURES, 'audit2rbac-2017-raw/demo.log')),
      readFileSync(join(PUBLIC_FIXTURES, 'upstream-examples/examples.jsonl')),
      Buffer.from(randomLines(20_000)),
    ];
    for (const input of inputs) {
      const full = run(input, 'full');
      assert.deepEqual(run(input, 'js'), full);
      assert.deepEqual(run(input, 'wasm'), full);
    }
  });

  it('the WebAssembly scanner takes exactly the lines the JavaScript fast path takes, with the same stage and time to the bit', () => {
    const times = ['2026-11-29T23:59:59.999999Z', '0000-01-01T00:00:00.000000Z', '0099-12-31T23:00:00.000001Z', '0100-02-29T00:00:00.000000Z',
      '1969-12-31T23:59:60.500000Z', '2024-02-31T12:30:00.123456Z', '9999-12-31T23:59:59.999999Z', '2026-13-01T00:00:00.000000Z',
      '2026-00-10T00:00:00.000000Z', '2026-01-00T00:00:00.000000Z', '2026-01-01T24:00:00.000000Z', '2026-01-01T00:60:00.000000Z',
      '2026-01-01T00:00:61.000000Z', '2026-01-01T00:00:00.00000xZ'];
    const line = eventLine({ stage: 'ResponseComplete', uri: '/api/v1/pods', verb: 'list', user: { username: 'alice' }, objectRef: { resource: 'pods' }, code: 200, timeMs: 0 });
    const edge = times.map((t) => line.replace(/"stageTimestamp":"[^"]*"/, `"stageTimestamp":"${t}"`)).join('\n');
    const inputs = [
      readFileSync(join(ROOT, 'test/fixtures/audit/stages.jsonl')),
      readFileSync(join(PUBLIC_FIXTURES, 'audit2rbac-2017-raw/demo.log')),
      Buffer.from(randomLines(20_000)),
      Buffer.from(`${edge}\n`),
    ];
    let taken = 0;
    for (const input of inputs) {
      const text = input[input.length - 1] === 10 ? input : Buffer.concat([input, Buffer.from('\n')]);
      const js = jsVerdicts(text);
      const wasm = wasmVerdicts(text);
      assert.equal(wasm.length, js.length);
      for (let i = 0; i < js.length; i++) assert.deepEqual(wasm[i], js[i], `line ${i}`);
      taken += js.filter((v) => v !== null).length;
    }
    assert.ok(taken > 5000, `the fast paths take lines (${taken})`);
    // Times in another form (which kube-apiserver never writes) the JavaScript fast path parses as text; the scanner declines them.
    const other = ['2026-01-01 00:00:00.000000Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.1Z'].map((t) => line.replace(/"stageTimestamp":"[^"]*"/, `"stageTimestamp":"${t}"`));
    assert.deepEqual(wasmVerdicts(Buffer.from(`${other.join('\n')}\n`)), [null, null, null]);
  });

  it('the WebAssembly byte path reads most native-order lines the fast path declines, and declines escapes it would decode', () => {
    assert.ok(scanner);
    const w = scanner;
    const count = (text: string): { extracted: number; declined: number } => {
      const input = Buffer.from(text);
      input.copy(w.mem, w.base);
      let extracted = 0, declined = 0;
      for (let p = w.base, end = w.base + input.length; p < end; p = w.state[3] as number) {
        const stop = w.scan(p, end, 1 << 30);
        if (stop === SCAN_EXTRACTED) extracted++; else if (stop === SCAN_DECLINED) declined++;
      }
      return { extracted, declined };
    };
    const got = count(randomLines(5000));
    assert.ok(got.extracted > 100 && got.extracted >= 0.9 * (got.extracted + got.declined), `extracted ${got.extracted}, declined ${got.declined}`);
    const anon = eventLine({ stage: 'ResponseComplete', uri: '/api/v1/namespaces/a/secrets', verb: 'list', user: ANONYMOUS, objectRef: { resource: 'secrets', namespace: 'a' }, code: 403, timeMs: 0 });
    assert.deepEqual(count(`${anon}\n`), { extracted: 1, declined: 0 });
    // An escape in a string counting decodes (here the URI) goes to the JavaScript byte path; one in a skipped string does not.
    assert.deepEqual(count(`${anon.replace('/secrets"', '/secre\\u0074s"')}\n`), { extracted: 0, declined: 1 });
    assert.deepEqual(count(`${anon.replace('"Metadata"', '"Meta\\u0064ata"')}\n`), { extracted: 0, declined: 1 }, 'the level is read as the fast path reads it');
    const annotated = anon.replace(/"annotations":\{.*\}\}$/, '"annotations":{"authorization.k8s.io/reason":"RBAC: \\"x\\""}}');
    assert.notEqual(annotated, anon);
    assert.deepEqual(count(`${annotated}\n`), { extracted: 1, declined: 0 });
    // kube-apiserver's Status for a forbidden request: an escaped message and details with string members.
    const status = (details: string) => anon.replace(/"responseStatus":\{"metadata":\{\},"status":"Failure","message":"Forbidden","reason":"Forbidden","code":403\}/,
      `"responseStatus":{"metadata":{},"status":"Failure","message":"secrets is forbidden: User \\"system:anonymous\\" cannot list","reason":"Forbidden",${details}"code":403}`);
    assert.notEqual(status(''), anon);
    assert.deepEqual(count(`${status('"details":{"kind":"secrets"},')}\n`), { extracted: 1, declined: 0 });
    assert.deepEqual(count(`${status('"details":{},')}\n`), { extracted: 1, declined: 0 });
    assert.deepEqual(count(`${status('"details":{"causes":[{"reason":"x"}]},')}\n`), { extracted: 0, declined: 1 }, 'details with causes are the JavaScript byte path\'s');
    assert.deepEqual(count(`${status('"details":{"kind":1},')}\n`), { extracted: 0, declined: 1 });
  });

  it('is taken for authenticated native-order lines and declined for anonymous ones', () => {
    class Spy extends Analyzer {
      decoded = 0;
      override event(ev: Parameters<Analyzer['event']>[0]): void { this.decoded++; super.event(ev); }
    }
    const a = new Spy({ sourceClasses: {}, sourceAddress: 'last', maxSourceSeries: 50, gapThresholdSeconds: 1 });
    const feed = (user: object): void => {
      const line = eventLine({ stage: 'ResponseComplete', uri: '/api/v1/pods', verb: 'list', user, objectRef: { resource: 'pods' }, code: 200, timeMs: 0 });
      a.line(Buffer.from(line), 0, line.length);
    };
    feed({ username: 'alice', groups: ['system:authenticated'] });
    assert.equal(a.decoded, 0);
    feed(ANONYMOUS);
    assert.equal(a.decoded, 1);
    assert.equal(a.c.requests, 2);
  });

  it('declines a line cut right after its annotations, a key after them and a nested value', () => {
    const base = eventLine({ stage: 'ResponseComplete', uri: '/api/v1/pods', verb: 'list', user: { username: 'alice' }, objectRef: { resource: 'pods' }, code: 200, timeMs: 0 });
    const whole = base.replace(/,"annotations":\{.*\}$/, ',"annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC: \\"x\\""}}');
    assert.equal(take(whole), true, 'the complete line is taken');
    assert.equal(take(whole.slice(0, -1)), false, 'cut after the annotations: invalid JSON');
    assert.equal(take(whole.replace('"allow"', '{"a":"b"}')), false, 'a nested value');
    assert.equal(take(whole.replace(/\}\}$/, '},"user":{"username":"system:anonymous"}}')), false, 'a key after the annotations');
    assert.equal(take(whole.replace('"allow"', '"al}low"')), false, 'a brace inside an annotation declines too (safe: the byte path reads it)');
    JSON.parse(whole);
    assert.throws(() => JSON.parse(whole.slice(0, -1)), 'the cut line is not JSON: the full parse skips it');
  });

  it('declines a stray byte after the user object instead of walking past the impersonatedUser behind it', () => {
    const line = eventLine({ stage: 'ResponseComplete', uri: '/api/v1/pods', verb: 'list', user: { username: 'alice' }, impersonatedUser: { username: 'system:anonymous' },
      objectRef: { resource: 'pods' }, code: 200, timeMs: 0 });
    assert.equal(take(line), false, 'impersonation at a counted stage is the byte path\'s');
    // Not JSON (the full parse skips the line), and JSON with a space (it counts an impersonated request).
    for (const [stray, json] of [['}\u00ff,"impersonatedUser"', false], ['},\u00ff"impersonatedUser"', false], ['} ,"impersonatedUser"', true]] as const) {
      const bad = line.replace('},"impersonatedUser"', stray);
      assert.notEqual(bad, line);
      if (json) JSON.parse(bad); else assert.throws(() => JSON.parse(bad));
      assert.equal(take(bad), false, stray);
    }
  });

  it('declines whitespace after a request object and a code found after the status object: either could hide a top-level key', () => {
    const line = eventLine({ stage: 'ResponseComplete', uri: '/api/v1/pods', verb: 'create', user: { username: 'alice' }, objectRef: { resource: 'pods' }, code: 201, timeMs: 0 });
    const withObject = (between: string): string => line.replace(',"requestReceivedTimestamp"', `,"requestObject":{"a":{"b":1}}${between},"requestReceivedTimestamp"`);
    assert.equal(take(withObject('')), true, 'an object in native order is taken');
    const hidden = withObject(' ,"user":{"username":"system:anonymous"}');
    assert.equal((JSON.parse(hidden) as { user: { username: string } }).user.username, 'system:anonymous', 'valid JSON: the last user wins');
    assert.equal(take(hidden), false);
    const behindStatus = line.replace(/"responseStatus":\{"metadata":\{\},"code":201\}/,
      '"responseStatus":{"metadata":{},"status":"Success"},"user":{"username":"system:anonymous"},"requestObject":{"code":201}');
    assert.notEqual(behindStatus, line);
    assert.equal((JSON.parse(behindStatus) as { user: { username: string } }).user.username, 'system:anonymous');
    assert.equal(take(behindStatus), false, 'a "code": after the status object is not the status code');
    // 27 bytes where a MicroTime belongs, that close the string and add a stage: JSON.parse keeps the last stage.
    const inTime = line.replace(/"requestReceivedTimestamp":"[^"]{27}"/, '"requestReceivedTimestamp":"a","stage":"Panic","zzzz":""');
    assert.notEqual(inTime, line);
    assert.equal((JSON.parse(inTime) as { stage: string }).stage, 'Panic');
    assert.equal(take(inTime), false, 'a key inside the length of a requestReceivedTimestamp');
    const oddStage = line.replace('"stage":"ResponseComplete"', '"stage":"RxsxxxxxCxxxxxxx"');
    assert.equal(take(oddStage), false, 'a stage is recognised by all its bytes, not a few');
    const level = line.replace('"level":"Metadata"', '"level":"R","kind":"xyzw"');
    assert.notEqual(level, line);
    assert.equal((JSON.parse(level) as { kind: string }).kind, 'xyzw', 'valid JSON that is no Event');
    assert.equal(take(level), false, 'a level that closes early and adds a key');
  });

  it('declines a repeated username in the user object and a repeated resource in the objectRef (JSON.parse keeps the last)', () => {
    const line = eventLine({ stage: 'ResponseComplete', uri: '/api/v1/namespaces/a/pods', verb: 'create', user: { username: 'alice', groups: ['g'] },
      objectRef: { resource: 'pods', namespace: 'a', name: 'p', apiVersion: 'v1' }, code: 201, timeMs: 0 });
    assert.equal(take(line), true);
    const cases: [string, string][] = [
      ['after the username', line.replace('"username":"alice"', '"username":"alice","username":"system:anonymous"')],
      ['after the groups', line.replace('"groups":["g"]', '"groups":["g"],"username":"system:anonymous"')],
      ['a binding resource after the first', line.replace('"resource":"pods"', '"resource":"pods","resource":"rolebindings","apiGroup":"rbac.authorization.k8s.io"')],
    ];
    for (const [what, l] of cases) {
      assert.notEqual(l, line, what);
      JSON.parse(l);
      assert.equal(take(l), false, what);
    }
  });
});
