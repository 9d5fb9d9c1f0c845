/** Golden-file comparison for posture output; `UPDATE_GOLDEN=1` rewrites the files. */
import { matchGolden as match } from '../helpers/golden.js';

/** Asserts `actual` equals `test/golden/posture/<name>`, or rewrites it when UPDATE_GOLDEN=1. */
export function matchGolden(name: string, actual: string): void {
  match('posture', name, actual);
}
