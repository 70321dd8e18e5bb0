// CLI: start a simulator, print its URLs and key as one JSON line on stdout, run until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startSimulator, type Simulator } from './simulator.js';
import type { SimulatorOptions, SizePreset } from './options.js';

const USAGE = `usage: cio-simulator [--seed N] [--size tiny|small|bench] [--people N] [--deliveries N]
                     [--activities N] [--port N] [--eu-port N] [--region us|eu] [--no-retry-after]
                     [--rate-limit N] [--no-quirks] [--no-realism] [--busy]`;

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new Error(`cio-simulator: --${name} must be a non-negative integer`);
  return Number(v);
}

export function parseCli(argv: string[]): SimulatorOptions {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: {
      seed: { type: 'string' }, size: { type: 'string' }, people: { type: 'string' }, deliveries: { type: 'string' },
      activities: { type: 'string' }, port: { type: 'string' }, 'eu-port': { type: 'string' }, region: { type: 'string' },
      'no-retry-after': { type: 'boolean' }, 'rate-limit': { type: 'string' }, 'no-quirks': { type: 'boolean' },
      'no-realism': { type: 'boolean' }, busy: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) throw new Error(USAGE);
  const size = values.size ?? ((int('deliveries', values.deliveries) ?? 0) > 20_000 ? 'bench' : 'small');
  if (!['tiny', 'small', 'bench'].includes(size)) throw new Error('cio-simulator: --size must be tiny, small or bench');
  if (values.region !== undefined && values.region !== 'us' && values.region !== 'eu') throw new Error('cio-simulator: --region must be us or eu');
  const port = int('port', values.port);
  const opts: SimulatorOptions = { size: size as SizePreset, seed: int('seed', values.seed) ?? 1 };
  const set = <K extends keyof SimulatorOptions>(k: K, v: SimulatorOptions[K] | undefined): void => { if (v !== undefined) opts[k] = v; };
  set('people', int('people', values.people));
  set('deliveries', int('deliveries', values.deliveries));
  set('activities', int('activities', values.activities));
  set('port', port);
  set('euPort', int('eu-port', values['eu-port']) ?? (port ? port + 1 : 0));
  set('region', values.region as 'us' | 'eu' | undefined);
  opts.rateLimit = { retryAfterHeader: !values['no-retry-after'] };
  const rl = int('rate-limit', values['rate-limit']);
  if (rl !== undefined) opts.rateLimit.perSecond = rl;
  if (values['no-quirks']) opts.quirks = false;
  if (values['no-realism']) opts.realism = false;
  if (values['busy']) opts.busy = true;
  return opts;
}

/** Starts the simulator (resolves once listening); on bad arguments prints usage and sets exit code 2. */
export async function main(argv: string[], print: (line: string) => void = (l) => { process.stdout.write(l); }): Promise<Simulator | undefined> {
  let opts: SimulatorOptions;
  try { opts = parseCli(argv); } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return undefined;
  }
  const sim = await startSimulator(opts);
  print(`${JSON.stringify({
    baseUrl: sim.baseUrl, usUrl: sim.usUrl, euUrl: sim.euUrl, region: sim.region,
    workspaceId: sim.workspaceId, apiKey: sim.apiKey, seed: sim.seed, sizes: sim.sizes,
  })}\n`);
  const stop = (): void => { void sim.close().then(() => process.exit(0)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return sim;
}
