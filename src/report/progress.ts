/** A progress bar on stderr for large inputs, shown only on a terminal. */

const MIN_BYTES = 8 * 1024 * 1024;

/** Returns a progress callback and a finisher; both are no-ops off a terminal or for small inputs. */
export function progressBar(totalBytes: number, stream: NodeJS.WriteStream = process.stderr): { tick: (n: number) => void; done: () => void } {
  if (!stream.isTTY || totalBytes < MIN_BYTES) return { tick: () => undefined, done: () => undefined };
  let seen = 0;
  let last = 0;
  const t0 = Date.now();
  const draw = (): void => {
    const frac = Math.min(1, seen / totalBytes);
    const width = 30;
    const filled = Math.round(frac * width);
    const mbps = seen / 1e6 / Math.max(0.001, (Date.now() - t0) / 1000);
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${mbps.toFixed(0)} MB/s`);
  };
  return {
    tick: (n) => {
      seen += n;
      const now = Date.now();
      if (now - last >= 200) { last = now; draw(); }
    },
    done: () => { draw(); stream.write('\n'); },
  };
}
