// The `collect` command: runs the collector until SIGTERM/SIGINT, then shuts down gracefully.
import type { ExtraCommand } from '@cio-dw/common';
import { collectorId, openSpoolStore, systemClock, untilAborted } from '@cio-dw/common';
import { loadCollectorConfig } from './config.js';
import { Collector } from './server.js';

export const collectCommand: ExtraCommand = (inv) => ({
  command: 'collect',
  describe: 'run the Pipelines-compatible collector that writes the spool',
  builder: (a) => a.option('config', { type: 'string', demandOption: true }),
  handler: async (args) => {
    const config = await loadCollectorConfig(String(args.config), (s) => inv.addSecrets(s));
    const store = openSpoolStore(config.spool);
    const writerId = collectorId(config);
    const collector = new Collector({ config, store, clock: systemClock, logger: inv.logger, writerId });
    const { url } = await collector.listen();
    inv.logger.info(`collector ${writerId} listening on ${url}, spool ${store.describe()}`);
    await untilAborted(inv.signal);
    inv.logger.info('collector: shutting down, draining requests in flight');
    await collector.close();
    await store.close();
    const s = collector.writer.stats;
    const n = collector.counts;
    inv.logger.info(`collector: stopped; wrote ${s.calls} call(s) in ${s.objects} spool object(s); ${n.invalid} stored flagged as failing the source spec, ${n.rejected} refused`);
  },
});
