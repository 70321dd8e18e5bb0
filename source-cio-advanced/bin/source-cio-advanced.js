#!/usr/bin/env node
import { main } from '../dist/main.js';
// main() resolves only when the command is done (for `collect`: after SIGTERM and a graceful drain).
process.exit(await main(process.argv.slice(2)));
