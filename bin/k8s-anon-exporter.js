#!/usr/bin/env node
import { runProcess } from '../dist/src/cli.js';

runProcess();
