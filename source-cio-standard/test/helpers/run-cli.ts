// Runs the CLI from source (for tests that need the receiver as a child process).
import { main } from '../../src/main.js';
process.exit(await main(process.argv.slice(2)));
