/** TLS options from the web config's files, re-read when any of those files changes. */
import { statSync, readFileSync } from 'node:fs';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import type { TlsSettings } from './config.js';

/** Identity of one file's current version: changes when the file is rewritten or replaced. */
function stamp(path: string): string {
  const s = statSync(path);
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
}

/** The files a TLS setting reads, in a fixed order. */
export function tlsFiles(t: TlsSettings): string[] {
  return [t.certFile, t.keyFile, ...(t.clientCAFile ? [t.clientCAFile] : [])];
}

/** Reads cert, key and client CA into secure-context options (throws on unreadable files). */
export function readSecureContext(t: TlsSettings): SecureContextOptions {
  return {
    cert: readFileSync(t.certFile), key: readFileSync(t.keyFile),
    ...(t.clientCAFile ? { ca: readFileSync(t.clientCAFile) } : {}),
    minVersion: t.minVersion,
  };
}

/** Server options: the secure context plus how client certificates are requested and checked. */
export function serverTlsOptions(t: TlsSettings): TlsOptions {
  const request = t.clientAuthType !== 'NoClientCert';
  // Only RequireAndVerifyClientCert lets the TLS layer reject; the other modes are enforced per request.
  const reject = t.clientAuthType === 'RequireAndVerifyClientCert';
  return { ...readSecureContext(t), requestCert: request, rejectUnauthorized: reject };
}

/** Watches the TLS files by content stamp; `changed()` reports whether they differ from the last check. */
export class TlsFileWatch {
  private last: string;

  constructor(private readonly files: readonly string[]) { this.last = this.current(); }

  private current(): string {
    return this.files.map((f) => { try { return stamp(f); } catch { return 'missing'; } }).join('|');
  }

  /** Makes the next `changed()` true again (after a reload that failed half-way through a rewrite). */
  retry(): void { this.last = ''; }

  /** True once per change of any file since the previous call. */
  changed(): boolean {
    const now = this.current();
    if (now === this.last) return false;
    this.last = now;
    return true;
  }
}
