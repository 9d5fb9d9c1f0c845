/** The package version and install location, read once from package.json. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function findPackage(): { root: string; version: string } {
  for (const rel of ['../', '../../']) {
    const url = new URL(rel, import.meta.url);
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'k8s-anon-exporter' && pkg.version) return { root: fileURLToPath(url), version: pkg.version };
    } catch { /* try the next location */ }
  }
  return { root: fileURLToPath(new URL('../', import.meta.url)), version: '0.0.0' };
}

// The release bundle defines these (there is no package.json beside a single executable).
declare const K8S_ANON_BUNDLED_VERSION: string | undefined;
declare const K8S_ANON_BUNDLED_ROOT: string | undefined;

const PKG = typeof K8S_ANON_BUNDLED_VERSION === 'string'
  ? { version: K8S_ANON_BUNDLED_VERSION, root: typeof K8S_ANON_BUNDLED_ROOT === 'string' ? K8S_ANON_BUNDLED_ROOT : '/' }
  : findPackage();

/** This build's version string. */
export const VERSION = PKG.version;

/** The directory holding package.json (the checkout or the installed package). */
export const PACKAGE_ROOT = PKG.root;
