import type { StartPass } from './http/ops.js';
import { existsSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import type { BotApp } from './app.js';
import type { EventSink } from './bot/events.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createOpsApp } from './app.js';
import { startLongConnection, type LongConnection } from './http/long-connection.js';
import { ENCRYPT_KEY_FIX, tokenOnlyWeakness } from './http/posture.js';
import { createBullQueue, type BullQueueOptions } from './jobs/bullmq.js';
import { createJobProcessor } from './jobs/runner.js';
import type { WorkQueue } from './jobs/types.js';
import { createLogger, errorSummary, type Logger } from './log.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createStore } from './store/index.js';
import type { Store } from './store/types.js';
import { buildBot } from './wiring.js';
import { renderBanner, startupFacts } from './banner.js';
import { createOwnerDelivery } from './bot/delivery.js';
import { createI18n } from './i18n.js';
import { createBullReminderRunner, createMemoryReminderRunner, type ReminderRunner } from './reminders/runner.js';

/**
 * After SIGTERM, running jobs are handed back at once (BullMQ) and other deferred work gets
 * this long; Kubernetes' default grace period is 30 s.
 */
const DRAIN_TIMEOUT_MS = 25_000;
/** If shutdown itself hangs, leave anyway. */
const FORCE_EXIT_MS = 28_000;

/** Replacements for the real parts (tests, local tools). */
export interface ServerOverrides {
  store?: Store;
  sink?: EventSink;
  logger?: Logger;
  metrics?: Metrics;
  runReminders?: StartPass | undefined;
  drainTimeoutMs?: number;
  /** Print the start-up banner as a text block (a terminal) instead of one JSON log line; default: stdout is a TTY. */
  tty?: boolean;
  /** BullMQ tuning (tests: a unique prefix, short locks so a killed worker's jobs return quickly). */
  queue?: Partial<Omit<BullQueueOptions, 'url' | 'logger'>>;
}

export interface RunningServer {
  /** `http://host:port` as actually bound (port 0 → the chosen port). */
  url: string;
  port: number;
  bot: BotApp;
  /** The queue this process feeds and/or works (BullMQ with REDIS_URL, in-process otherwise). */
  queue: WorkQueue;
  server: ServerType;
  /** Reminder passes and their schedule (undefined when a test replaced them). */
  reminders: ReminderRunner | undefined;
  logger: Logger;
  /** Deferred work and every queued job settled (tests and tools: BullMQ jobs may run in any worker). */
  settled(): Promise<void>;
  /** Graceful stop: healthz 503, stop accepting, drain deferred work (bounded), close the store. */
  stop(): Promise<void>;
}

function listen(server: ServerType): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const address = server.address();
    if (address && typeof address === 'object') return resolve(address);
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Builds every part from `config` and serves what its role asks for: `all` and `web` the
 * webhook receiver plus health, metrics and admin routes (in websocket mode the long
 * connection feeds the same intake); `all` and `worker` run queued jobs; `worker` serves
 * only health, readiness and metrics.
 *
 * @example
 * const running = await startServer({ ...loadConfig(env), http: { host: '127.0.0.1', port: 0 } })
 * await fetch(`${running.url}/healthz`)
 * await running.stop()
 */
export async function startServer(config: Config, overrides: ServerOverrides = {}): Promise<RunningServer> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const weakness = tokenOnlyWeakness(config);
  if (weakness) logger.warn({ fix: ENCRYPT_KEY_FIX }, weakness);
  const metrics = overrides.metrics ?? createMetrics({ defaultMetrics: true });
  const store =
    overrides.store ??
    createStore(config.redisUrl, {
      onError: (err) => logger.warn({ err: errorSummary(err) }, 'redis connection error'),
      autoPipelining: true,
    });
  let longConnection: LongConnection | undefined;
  const websocket = config.feishu.eventMode === 'websocket' && config.role !== 'worker';
  const role = config.role;
  const sharedQueue = config.redisUrl
    ? createBullQueue({ url: config.redisUrl, logger, prefix: `hrbot:${config.feishu.appId}:bull`, ...overrides.queue })
    : undefined;
  let reminders: ReminderRunner | undefined;
  const { bot, sink, feishu, keys } = buildBot(config, {
    store,
    logger,
    metrics,
    sink: overrides.sink,
    runReminders: overrides.runReminders ?? (() => reminders!.start()),
    receiverUp: websocket ? () => longConnection?.isUp() ?? false : undefined,
    queue: sharedQueue,
  });
  // Role all: the jobs of this process let its own intake's burst acks go first (bot.pressure).
  if (sharedQueue && role !== 'web') sharedQueue.startWorker(createJobProcessor({ sink, logger, metrics, pressure: bot.pressure }));
  if (!overrides.runReminders) {
    const deps = { config, store, keys, api: feishu.api, delivery: createOwnerDelivery({ store, keys, messenger: feishu.messenger }), i18n: createI18n(), logger, metrics };
    reminders = config.redisUrl
      ? createBullReminderRunner(deps, { url: config.redisUrl, prefix: `hrbot:${config.feishu.appId}:bull`, ...overrides.queue })
      : createMemoryReminderRunner(deps);
    // The schedule and its passes run where jobs run (roles all and worker).
    if (role !== 'web') await reminders.startWorker();
  }

  let draining = false;
  const fetch = role === 'worker' ? createOpsApp({ store, metrics, isDraining: () => draining }).fetch : bot.app.fetch;
  const server = serve({ fetch, port: config.http.port, hostname: config.http.host });
  const address = await listen(server);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const facts = startupFacts(config, { host: address.address, port: address.port });
  // A person at a terminal gets a readable block; log collectors get one JSON line.
  if (overrides.tty ?? process.stdout.isTTY === true) process.stdout.write(renderBanner(facts));
  else logger.info({ host: address.address, port: address.port, queue: bot.queue.kind, ...facts }, 'listening');

  if (websocket) longConnection = startLongConnection({ config, intake: bot.intake, logger, metrics });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      draining = true;
      bot.startDraining();
      longConnection?.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), overrides.drainTimeoutMs ?? DRAIN_TIMEOUT_MS);
      });
      // BullMQ: stop taking jobs and hand the running ones back; in-process: let them finish.
      const finished = Promise.all([bot.drain(), sharedQueue?.close() ?? bot.queue.close(), reminders?.close()]).then(() => 'drained' as const);
      const drained = await Promise.race([finished, limit]);
      clearTimeout(timer);
      if (drained === 'timeout') {
        logger.warn({ pending: bot.pending(), running: bot.queue.running() }, 'shutdown: work did not finish in time (queued work resumes elsewhere)');
      }
      // Keep-alive sockets still open after draining would hold close() forever.
      if ('closeAllConnections' in server) server.closeAllConnections();
      await closed;
      await store.close();
      logger.info('stopped');
    })());

  const settled = async () => {
    await bot.drain();
    await bot.queue.idle?.();
    await bot.drain();
  };
  return { url: `http://${host}:${address.port}`, port: address.port, bot, queue: bot.queue, reminders, server, logger, settled, stop };
}

/**
 * How much a `worker` process lowers its own CPU priority (nice). Its work is paced by
 * Feishu's send limits and loses nothing by waiting a few ms, while a `web` process on the
 * same host must ack within Feishu's 3 s; so where both share cores, the acks win.
 */
export const WORKER_NICE_STEP = 5;

/** Lowers this process's CPU priority by `WORKER_NICE_STEP` (worker role); the new nice value, or undefined if the OS refused. */
export function yieldCpuToIntake(): number | undefined {
  try {
    const nice = Math.min(19, getPriority() + WORKER_NICE_STEP);
    setPriority(nice);
    return getPriority();
  } catch {
    return undefined;
  }
}

/** `npm start`: `.env` (optional) → config → server, with graceful shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  try {
    if (existsSync('.env')) process.loadEnvFile('.env');
  } catch (err) {
    process.stderr.write(`.env could not be read: ${errorSummary(err).message}\n`);
    process.exit(2);
  }
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const problem of err.problems) process.stderr.write(`${problem}\n`);
    process.exit(2);
  }
  const nice = config.role === 'worker' ? yieldCpuToIntake() : undefined;
  const running = await startServer(config);
  if (nice !== undefined) running.logger.info({ nice }, 'worker: CPU priority lowered so that web processes on this host ack first');
  const shutdown = (signal: NodeJS.Signals) => {
    running.logger.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(1), FORCE_EXIT_MS).unref();
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`could not start: ${errorSummary(err).message}\n`);
    process.exit(1);
  });
}
