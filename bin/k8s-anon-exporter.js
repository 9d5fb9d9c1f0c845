#!/usr/bin/env node
import { main } from '../dist/src/cli.js';

main(process.argv.slice(2)).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'fatal', error: String(err && err.stack || err) })}\n`); process.exitCode = 1; },
);
