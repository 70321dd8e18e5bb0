// The CLI runner: `spec`, `check`, `discover`, `read` for sources and `spec`, `check`, `write` for
// destinations, exactly as Airbyte invokes connector images. It parses config once, and it is the only
// place that turns typed errors into TRACE messages and exit codes.
import type { Readable, Writable } from 'node:stream';
import yargs from 'yargs';
import type { Argv, CommandModule } from 'yargs';
import { systemClock } from '../clock.js';
import type { Clock } from '../clock.js';
import { readJsonFile } from '../config/files.js';
import { parseConfig } from '../config/parse.js';
import { makeRedactor, secretValues } from '../config/secrets.js';
import type { Destination } from '../destination/contracts.js';
import { writeDestination } from '../destination/write-loop.js';
import { ConfigError, toConnectorError, TransientError } from '../errors.js';
import type { Logger } from '../logger.js';
import { parseConfiguredCatalog, parseInputState } from '../protocol/catalog.js';
import { LineEmitter } from '../protocol/emitter.js';
import type { Emitter } from '../protocol/emitter.js';
import { errorTrace } from '../protocol/messages.js';
import type { AirbyteStream, ConnectorSpecification } from '../protocol/types.js';
import type { CheckResult, ConnectorContext, Source } from '../source/contracts.js';
import { readSource, StreamsFailedError } from '../source/read-loop.js';
import { protocolLogger } from './protocol-logger.js';

export interface RunIo {
  stdout?: Writable;
  stdin?: Readable;
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  /** `check` answers FAILED after this long (default CHECK_DEADLINE_MS). */
  checkDeadlineMs?: number;
}

/** Shared state of one CLI invocation. */
export interface Invocation {
  emitter: Emitter;
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
  /** Registers secret values to be masked in every non-record message. */
  addSecrets(values: string[]): void;
  /** Reads and validates a config file against the spec; registers its secrets. */
  loadConfig<C>(path: string): Promise<Readonly<C>>;
}

export type ExtraCommand = (inv: Invocation) => CommandModule<object, any>;

function createInvocation(spec: ConnectorSpecification, io: RunIo): { inv: Invocation; abort: AbortController } {
  const secrets: string[] = [];
  let redact = (s: string) => s;
  const emitter = new LineEmitter(io.stdout ?? process.stdout, (s) => redact(s));
  const env = io.env ?? process.env;
  const logger = protocolLogger(emitter, /^debug$/i.test(env.LOG_LEVEL ?? ''));
  const abort = new AbortController();
  const inv: Invocation = {
    emitter, logger, clock: io.clock ?? systemClock, signal: abort.signal,
    addSecrets(values) { secrets.push(...values); redact = makeRedactor(secrets); },
    async loadConfig<C>(path: string) {
      const raw = await readJsonFile(path, 'config');
      // Mask secrets even if the config turns out to be invalid.
      inv.addSecrets(secretValues(spec.connectionSpecification, raw));
      return parseConfig<C>(spec.connectionSpecification, raw);
    },
  };
  return { inv, abort };
}

async function run(
  spec: ConnectorSpecification, argv: string[], io: RunIo,
  build: (y: Argv, inv: Invocation) => Argv,
): Promise<number> {
  const { inv, abort } = createInvocation(spec, io);
  const onSignal = () => abort.abort(new ConfigError('cancelled by a signal (SIGTERM/SIGINT)'));
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  let code = 0;
  try {
    const parser = build(yargs(argv).scriptName('connector'), inv)
      .command('spec', 'print the connector specification', {}, async () => {
        await inv.emitter.emit({ type: 'SPEC', spec });
      })
      .demandCommand(1, 'a command is required: spec, check, discover, read or write')
      .strict()
      .fail((msg, err) => { throw err ?? new ConfigError(`usage: ${msg}`); })
      .exitProcess(false)
      .help(false)
      .version(false);
    await parser.parseAsync();
  } catch (e) {
    const error = toConnectorError(e);
    if (!(e instanceof StreamsFailedError)) {
      await inv.emitter.emit(errorTrace(inv.clock.now(), error.message, error.failureType, {
        ...(error.internalMessage ? { internal: error.internalMessage } : {}),
        ...(error.stack ? { stack: error.stack } : {}),
      }));
    }
    code = 1;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await inv.emitter.flush();
  }
  return code;
}

/**
 * How long after the process started `check` answers FAILED if the connector's check has not finished:
 * Airbyte gives it 60 s, and a user waits for it in the UI.
 */
export const CHECK_DEADLINE_MS = 10_000;

/**
 * Runs `check` with the Airbyte semantics: every failure the user can act on (bad config, rejected
 * credentials, missing bucket: ConfigError; unreachable or failing endpoint: TransientError; or no
 * answer within the deadline) is one CONNECTION_STATUS FAILED with the error's message; a bug or an
 * unexpected answer (SystemError, any other error) or an unreadable config file is a TRACE.
 */
async function runCheck<C>(inv: Invocation, path: string, check: (c: C, ctx: ConnectorContext) => Promise<CheckResult>, deadlineMs: number): Promise<void> {
  let result: CheckResult;
  let timer: NodeJS.Timeout | undefined;
  // Counted from process start (on a loaded machine, starting Node and loading the SDKs takes seconds
  // too), but the check itself always gets at least 5 s, so a slow start alone never fails it.
  const left = Math.max(deadlineMs - process.uptime() * 1000, Math.min(deadlineMs, 5000));
  const deadline = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({
      ok: false,
      message: `check: no answer within ${deadlineMs / 1000} s. The endpoint in the config (API URL, storage endpoint or region) is unreachable or too slow from here: check the address, firewall or proxy, and that the service is up.`,
    }), left);
  });
  try {
    const config = await inv.loadConfig<C>(path);
    const work = check(config, { logger: inv.logger, clock: inv.clock });
    work.catch(() => undefined); // a late failure after the deadline answered is not an unhandled rejection
    result = await Promise.race([work, deadline]);
  } catch (e) {
    if (!(e instanceof ConfigError || e instanceof TransientError) || /^config file /.test(e.message)) throw e;
    result = { ok: false, message: e.message };
  } finally {
    clearTimeout(timer);
  }
  await inv.emitter.emit({
    type: 'CONNECTION_STATUS',
    connectionStatus: result.ok ? { status: 'SUCCEEDED' } : { status: 'FAILED', message: result.message },
  });
}

export function runSourceCli<C>(source: Source<C>, argv: string[], io: RunIo = {}, extra: ExtraCommand[] = []): Promise<number> {
  return run(source.spec, argv, io, (y, inv) => {
    const ctx = { logger: inv.logger, clock: inv.clock };
    for (const cmd of extra) y = y.command(cmd(inv));
    return y
      .command('check', 'check the connection', (a) => a.option('config', { type: 'string', demandOption: true }),
        async (args) => runCheck<C>(inv, args.config, (c, cx) => source.check(c, cx), io.checkDeadlineMs ?? CHECK_DEADLINE_MS))
      .command('discover', 'list the streams', (a) => a.option('config', { type: 'string', demandOption: true }), async (args) => {
        const config = await inv.loadConfig<C>(args.config);
        const streams = await source.streams(config, ctx);
        await inv.emitter.emit({ type: 'CATALOG', catalog: { streams: streams.map(toAirbyteStream) } });
      })
      .command('read', 'read records', (a) => a
        .option('config', { type: 'string', demandOption: true })
        .option('catalog', { type: 'string', demandOption: true })
        .option('state', { type: 'string' }), async (args) => {
        const config = await inv.loadConfig<C>(args.config);
        const catalog = parseConfiguredCatalog(await readJsonFile(args.catalog, 'catalog'), args.catalog);
        const state = args.state ? parseInputState(await readJsonFile(args.state, 'state')) : new Map<string, unknown>();
        await readSource(source, config, catalog, state, { emitter: inv.emitter, logger: inv.logger, clock: inv.clock, signal: inv.signal });
      });
  });
}

export function runDestinationCli<C>(destination: Destination<C>, argv: string[], io: RunIo = {}, extra: ExtraCommand[] = []): Promise<number> {
  return run(destination.spec, argv, io, (y, inv) => {
    for (const cmd of extra) y = y.command(cmd(inv));
    return y
      .command('check', 'check the connection', (a) => a.option('config', { type: 'string', demandOption: true }),
        async (args) => runCheck<C>(inv, args.config, (c, cx) => destination.check(c, cx), io.checkDeadlineMs ?? CHECK_DEADLINE_MS))
      .command('write', 'write records read from stdin', (a) => a
        .option('config', { type: 'string', demandOption: true })
        .option('catalog', { type: 'string', demandOption: true }), async (args) => {
        const config = await inv.loadConfig<C>(args.config);
        const catalog = parseConfiguredCatalog(await readJsonFile(args.catalog, 'catalog'), args.catalog);
        const supported = destination.spec.supported_destination_sync_modes;
        for (const s of catalog.streams) {
          if (supported && !supported.includes(s.destination_sync_mode)) {
            throw new ConfigError(`catalog: stream "${s.stream.name}" uses destination_sync_mode "${s.destination_sync_mode}", which this destination does not support (${supported.join(', ')})`);
          }
        }
        const summary = await writeDestination(destination, config, catalog, io.stdin ?? process.stdin, {
          emitter: inv.emitter, logger: inv.logger, clock: inv.clock,
          ...maxRecordBytes(config),
        });
        inv.logger.info(`write finished: ${summary.records} records, ${summary.states} states echoed`);
      });
  });
}

function maxRecordBytes(config: unknown): { maxRecordBytes?: number } {
  const mb = (config as { max_record_size_mb?: unknown }).max_record_size_mb;
  return typeof mb === 'number' && mb > 0 ? { maxRecordBytes: mb * 1024 * 1024 } : {};
}

export function toAirbyteStream(s: { name: string; namespace?: string; jsonSchema: Record<string, unknown>; syncModes: AirbyteStream['supported_sync_modes']; cursorField?: string[]; primaryKey: string[][] }): AirbyteStream {
  return {
    name: s.name,
    ...(s.namespace ? { namespace: s.namespace } : {}),
    json_schema: s.jsonSchema,
    supported_sync_modes: s.syncModes,
    ...(s.cursorField ? { source_defined_cursor: true, default_cursor_field: s.cursorField } : {}),
    source_defined_primary_key: s.primaryKey,
    is_resumable: Boolean(s.cursorField),
  };
}
