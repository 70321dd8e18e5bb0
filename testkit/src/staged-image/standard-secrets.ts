// secrets/config.json and secrets/invalid_config.json for source-cio-standard's acceptance tests,
// pointing at a running Customer.io simulator (CAT reads secrets/ beside acceptance-test-config.yml).
// The test writes them for the simulator it starts; by hand, for CAT against the built image:
//   npx cio-simulator --seed 7 --size tiny --port 4010 | node --import tsx testkit/src/staged-image/standard-secrets.ts --host host.docker.internal
// (reads the simulator's first stdout line, writes source-cio-standard/secrets/; the simulator keeps running).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface SimulatorInfo { baseUrl: string; euUrl: string; apiKey: string; workspaceId: number }

/** The valid config (own region) and the invalid one (the other region's listener, which answers 401). */
export function standardSecrets(sim: SimulatorInfo, host?: string): { config: Record<string, unknown>; invalid_config: Record<string, unknown> } {
  const at = (url: string) => (host ? url.replace('//127.0.0.1:', `//${host}:`) : url);
  const common = { app_api_key: sim.apiKey, region: 'US', workspace_id: sim.workspaceId, start_date: '2026-07-01T00:00:00Z' };
  return {
    config: { ...common, lookback_days: 7, window_days: 90, api_url: at(sim.baseUrl) },
    invalid_config: { ...common, api_url: at(sim.euUrl) },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const host = process.argv.indexOf('--host') > 0 ? process.argv[process.argv.indexOf('--host') + 1] : undefined;
  const first = await new Promise<string>((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
  const dir = join(fileURLToPath(new URL('../../../source-cio-standard/', import.meta.url)), 'secrets');
  mkdirSync(dir, { recursive: true });
  for (const [name, value] of Object.entries(standardSecrets(JSON.parse(first) as SimulatorInfo, host))) {
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(value, null, 2)}\n`);
  }
  console.error(`wrote ${dir}/config.json and invalid_config.json`);
  process.exit(0);
}
