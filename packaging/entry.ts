/** Entry point of the release bundle: the CLI, run for this process. */
import { runProcess } from '../src/cli.js';

runProcess();
