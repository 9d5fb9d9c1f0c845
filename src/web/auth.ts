/** HTTP basic authentication against bcrypt hashes, with a small cache of verified credentials. */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import bcrypt from 'bcryptjs';

// Compared against when the user is unknown, so that unknown and known users take the same time.
const DUMMY = '$2a$10$CwTycUXWue0Thq9StjUM0uJ8W0eQ6Ix4HcSfHhQ6D2kmhw4u.Fbzi';
const CACHE_MAX = 64;

/** Checks `Authorization: Basic` headers against a user-to-bcrypt-hash map. */
export class BasicAuth {
  private readonly verified = new Map<string, true>();

  constructor(private readonly users: ReadonlyMap<string, string>) {}

  /** Whether any user is configured (no users: every request is allowed). */
  get enabled(): boolean { return this.users.size > 0; }

  /** Resolves true when the request carries valid credentials (or auth is off). */
  async check(req: IncomingMessage): Promise<boolean> {
    if (!this.enabled) return true;
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m) return false;
    const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const hash = this.users.get(user);
    // The cache key binds user, password and hash: a changed hash never matches an old entry.
    const key = createHash('sha256').update(`${user}\0${password}\0${hash ?? ''}`).digest('hex');
    if (hash !== undefined && this.verified.has(key)) return true;
    const ok = await bcrypt.compare(password, hash ?? DUMMY);
    if (!ok || hash === undefined) return false;
    if (this.verified.size >= CACHE_MAX) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(key, true);
    return true;
  }
}
