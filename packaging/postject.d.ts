/** Types for postject's programmatic API (the package ships none). */
declare module 'postject' {
  /** Injects `data` as resource `name` into the executable `file`. */
  export function inject(file: string, name: string, data: Buffer, options?: { sentinelFuse?: string; overwrite?: boolean; machoSegmentName?: string }): Promise<void>;
}
