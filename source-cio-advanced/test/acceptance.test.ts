// Airbyte acceptance tests (acceptance-test-config.yml) over the pre-built spool, through the built CLI.
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerAcceptanceTests } from '@cio-dw/testkit';

const dir = fileURLToPath(new URL('..', import.meta.url));
registerAcceptanceTests(dir, {
  prepareConfig: (c) => {
    const spool = c.spool as { storage: string; path?: string };
    if (spool.storage !== 'local' || !spool.path || isAbsolute(spool.path)) return c;
    return { ...c, spool: { ...spool, path: resolve(dir, spool.path) } };
  },
});
