// The `collect` command: runs the reporting-webhook receiver until SIGTERM/SIGINT, then drains.
import { collectorId, openSpoolStore, systemClock, untilAborted } from '@cio-dw/common';
import type { ExtraCommand } from '@cio-dw/common';
import { loadReceiverConfig } from './config.js';
import { ReportingReceiver } from './server.js';

export const collectCommand: ExtraCommand = (inv) => ({
  command: 'collect',
  describe: 'run the Customer.io reporting-webhook receiver that writes the webhook spool',
  builder: (a) => a.option('config', { type: 'string', demandOption: true }),
  handler: async (args) => {
    const config = await loadReceiverConfig(String(args.config), (s) => inv.addSecrets(s));
    const store = openSpoolStore(config.spool);
    const writerId = collectorId(config);
    const receiver = new ReportingReceiver({ config, store, clock: systemClock, logger: inv.logger, writerId });
    const { url } = await receiver.listen();
    inv.logger.info(`cio webhook receiver ${writerId} listening on ${url}${config.path}, spool ${store.describe()}`);
    await untilAborted(inv.signal);
    inv.logger.info('cio webhook receiver: shutting down, draining requests in flight');
    await receiver.close();
    await store.close();
    const s = receiver.writer.stats;
    inv.logger.info(`cio webhook receiver: stopped; wrote ${s.calls} event(s) in ${s.objects} spool object(s)`);
  },
});
