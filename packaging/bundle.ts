/** Bundles the CLI and its runtime dependencies into one CommonJS file for the single executable. */
import { build, type Plugin } from 'esbuild';

/** Where the installed package's data files live (Netdata plugin, health files, RBAC manifest). */
export const SHARE_DIR = '/usr/share/k8s-anon-exporter';

/**
 * Optional native add-ons that dependencies try to load inside try/catch (ws: bufferutil, utf-8-validate;
 * node-fetch: encoding). They are not bundled; a stub throws the "not found" their callers expect, so the
 * executable never asks its builtin-only require() for them.
 */
const OPTIONAL = /^(bufferutil|utf-8-validate|encoding)$/;
const optionalAbsent: Plugin = {
  name: 'optional-absent',
  setup(b) {
    b.onResolve({ filter: OPTIONAL }, (a) => ({ path: a.path, namespace: 'optional-absent' }));
    b.onLoad({ filter: /.*/, namespace: 'optional-absent' }, (a) => ({
      contents: `throw Object.assign(new Error(${JSON.stringify(`Cannot find module '${a.path}'`)}), { code: 'MODULE_NOT_FOUND' });`,
    }));
  },
};

/**
 * The range worker of a parallel `report` (src/report/worker.ts) bundled on its own: the single
 * executable has no module file to start a worker from, so it starts this source with `eval`.
 */
async function workerSource(): Promise<{ code: string; warnings: string[] }> {
  const r = await build({
    entryPoints: ['src/report/worker.ts'], bundle: true, write: false, platform: 'node', target: 'node20', format: 'cjs',
    minify: false, sourcemap: false, legalComments: 'none', logLevel: 'silent', plugins: [optionalAbsent],
    define: { 'import.meta.url': JSON.stringify('k8s-anon-exporter:bundle') },
  });
  const out = r.outputFiles[0];
  if (!out) throw new Error('the worker bundle is empty');
  return { code: out.text, warnings: r.warnings.map((w) => `worker: ${w.location?.file ?? ''}:${w.location?.line ?? ''} ${w.text}`) };
}

/** Writes the bundle to `outfile`; the same sources and versions give the same bytes. */
export async function bundle(outfile: string, version: string): Promise<string[]> {
  const worker = await workerSource();
  const r = await build({
    entryPoints: ['packaging/entry.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: false,
    sourcemap: false,
    legalComments: 'eof',
    logLevel: 'silent',
    plugins: [optionalAbsent],
    // import.meta.url is read only by cli.ts (am I the main module?) and version.ts (where is package.json?).
    // In the bundle the entry runs the CLI and the version is defined, so it is a URL that matches no file.
    define: {
      'import.meta.url': JSON.stringify('k8s-anon-exporter:bundle'),
      K8S_ANON_BUNDLED_VERSION: JSON.stringify(version),
      K8S_ANON_BUNDLED_ROOT: JSON.stringify(SHARE_DIR),
      K8S_ANON_BUNDLED_WORKER: JSON.stringify(worker.code),
    },
  });
  return [...worker.warnings, ...r.warnings.map((w) => `${w.location?.file ?? ''}:${w.location?.line ?? ''} ${w.text}`)];
}
