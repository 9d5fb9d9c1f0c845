/** Neutralising attacker-controlled strings before they reach a terminal. */

// C0 controls, DEL, C1 controls, and Unicode bidi/format characters that can reorder text.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Replaces control and bidi characters with visible `\xNN` / `\uNNNN` escapes and caps the length. */
export function escapeTerminal(s: string, max = 512): string {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  return cut.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
