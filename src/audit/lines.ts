/** The line splitter lives in the byte layer (`src/tail/lines.ts`); re-exported for existing importers. */
export { LineSplitter } from '../tail/lines.js';
