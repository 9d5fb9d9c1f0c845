/** Shared shapes of the posture inspector, probe and `check` verdict. */

/** The three places the anonymous-auth setting is read from (the `source` label). */
export type Source = 'manifest' | 'process' | 'authentication_config';

/** Every source, in display order. */
export const SOURCES: readonly Source[] = ['manifest', 'process', 'authentication_config'];

/** Something the operator should know, as in `report` findings. */
export interface Finding {
  severity: 'critical' | 'warning' | 'info';
  code: string;
  message: string;
}

/** What one source says about anonymous authentication. */
export interface SourceView {
  /** `ok`: read and understood; `absent`: nothing to read; `error`: unreadable or invalid. */
  state: 'ok' | 'absent' | 'error';
  /** Effective anonymous authentication according to this source; undefined when unknown. */
  anonymousAuth?: boolean;
  /** Where the view came from (file path, pid). */
  origin: string;
  /** One line explaining the view (flag value, default, config stanza, error). */
  detail: string;
  /** The `--authentication-config` path this source names, if any (as written). */
  authenticationConfig?: string;
}

/** The inspector's combined view. */
export interface Inspection {
  sources: Record<Source, SourceView>;
  /** KEP-4633 condition paths; empty when anonymous is off or unrestricted. */
  allowedPaths: string[];
  /** Anonymous authentication is on for every path (on, and no conditions restrict it). */
  unrestricted: boolean | undefined;
  findings: Finding[];
}

/** The outcome of one unauthenticated probe. */
export interface ProbeResult {
  path: string;
  /** HTTP status, or null when no response arrived (timeout, refusal, TLS failure). */
  statusCode: number | null;
  /** Unauthenticated 2xx on a non-health path. */
  exposed: boolean;
  /** The path is a health path (`/healthz`, `/livez`, `/readyz` and sub-paths, `/version`). */
  health: boolean;
  /** Why no response arrived. */
  error?: string;
  /** The instance (host:port) when several instances are probed. */
  apiserver?: string;
}

/** The `check` verdict. */
export type Verdict = 'locked_down' | 'exposed' | 'unknown';
