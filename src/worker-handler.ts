/**
 * The Cloudflare Workers handler behind `src/worker.ts`. It lives here because workerd treats
 * every named export of the main module as an entrypoint and refuses values that are not
 * handlers, so `worker.ts` exports the default handler only.
 *
 * What differs from Node, and why:
 * - A Redis client is opened and closed per request: workerd ties a socket to the request
 *   that opened it, so a client kept across requests hangs later ones. REDIS_URL is
 *   therefore required (an isolate's memory is neither shared nor durable).
 * - Deferred work (ack first, work after) runs under `ctx.waitUntil`, then the store closes:
 *   no BullMQ here (no blocking commands or long-lived workers on Workers), so each request's
 *   jobs run in the app's in-process queue (same retries and error card, not crash-safe).
 * - Logs are JSON lines through `console.*` (no stdout on Workers), redaction included.
 * - Pure-memory parts (config, logger, metrics, i18n) are built once per `env` object.
 *   `/metrics` therefore counts one isolate only: treat it as a debugging aid there.
 *
 * Reminders (`scheduled`) and queues are not wired yet, so neither are the HR flow's delayed
 * jobs (the 24 h nudge, the 7-day expiry): a request past 7 days is still expired when clicked.
 */
import { ConfigError, loadConfig, type Config } from './config.js';
import { createI18n, type I18n } from './i18n.js';
import { createConsoleLogger, errorSummary, type Logger } from './log.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createRedisStore, type RedisStoreOptions } from './store/redis.js';
import type { Store } from './store/types.js';
import { buildBot } from './wiring.js';

/** The part of Workers' ExecutionContext we use (no dependency on @cloudflare/workers-types). */
export interface WorkerExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

/** Bindings: string vars and secrets are read; anything else (KV, queues…) is ignored. */
export type WorkerEnv = Record<string, unknown>;

export const REDIS_REQUIRED =
  'REDIS_URL is required on Cloudflare Workers: an isolate keeps no shared state between requests or instances. ' +
  'Set it with `wrangler secret put REDIS_URL` (a rediss:// URL with a publicly trusted certificate).';

const WEBSOCKET_UNSUPPORTED =
  'FEISHU_EVENT_MODE websocket is not available on Cloudflare Workers (no long connection); use webhook';

export interface WorkerOptions {
  /** Opens the per-request store (tests wrap it to add a key prefix or watch `close`). */
  openStore?: (url: string, opts: RedisStoreOptions) => Store;
}

interface Ready {
  config: Config & { redisUrl: string };
  logger: Logger;
  metrics: Metrics;
  i18n: I18n;
}

type Prepared = { ok: true; ready: Ready } | { ok: false; status: 500 | 503; body: Record<string, unknown>; lines: string[] };

function stringBindings(env: WorkerEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') out[name] = value;
  return out;
}

function prepare(env: WorkerEnv): Prepared {
  const source = stringBindings(env);
  let config: Config;
  try {
    config = loadConfig(source);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const problems = [...err.problems];
    if (!(source.REDIS_URL ?? '').trim()) problems.push(REDIS_REQUIRED);
    return { ok: false, status: 500, body: { error: 'configuration', problems }, lines: problems };
  }
  if (config.feishu.eventMode === 'websocket') {
    const problems = [WEBSOCKET_UNSUPPORTED];
    return { ok: false, status: 500, body: { error: 'configuration', problems }, lines: problems };
  }
  const redisUrl = config.redisUrl;
  if (!redisUrl) {
    return { ok: false, status: 503, body: { error: 'redis required', message: REDIS_REQUIRED }, lines: [REDIS_REQUIRED] };
  }
  return {
    ok: true,
    ready: {
      config: { ...config, redisUrl },
      logger: createConsoleLogger(config.logLevel),
      // No default metrics: they read process internals a Worker does not have.
      metrics: createMetrics(),
      i18n: createI18n(),
    },
  };
}

/**
 * The Workers handler; `src/worker.ts` exports `createWorker()`. Tests pass `openStore` to
 * observe the per-request store.
 *
 * @example
 * const worker = createWorker()
 * const res = await worker.fetch(request, env, ctx)
 */
export function createWorker(opts: WorkerOptions = {}) {
  const openStore = opts.openStore ?? ((url, storeOpts) => createRedisStore(url, storeOpts));
  const prepared = new WeakMap<object, Prepared>();

  return {
    async fetch(request: Request, env: WorkerEnv, ctx: WorkerExecutionContext): Promise<Response> {
      let state = prepared.get(env);
      if (!state) prepared.set(env, (state = prepare(env)));
      if (!state.ok) {
        // One plain line per problem, every time, so `wrangler tail` shows it whenever it bites.
        for (const line of state.lines) console.error(line);
        return Response.json(state.body, { status: state.status });
      }

      const { config, logger, metrics, i18n } = state.ready;
      const store = openStore(config.redisUrl, {
        onError: (err) => logger.warn({ err: errorSummary(err) }, 'redis connection error'),
      });
      const closeStore = () =>
        store.close().catch((err: unknown) => logger.warn({ err: errorSummary(err) }, 'redis close failed'));

      let bot;
      try {
        ({ bot } = buildBot(config, { store, logger, metrics, i18n }));
      } catch (err) {
        await closeStore();
        throw err;
      }
      try {
        return await bot.app.fetch(request);
      } finally {
        // The answer goes out now; handlers and delayed card updates finish under waitUntil.
        // Jobs queued with a delay (the HR flow's nudge and expiry) cannot wait here: closing
        // the queue drops them with a warning (see README: they need the Node server).
        ctx.waitUntil(
          bot
            .drain()
            .then(() => bot.queue.close())
            .finally(closeStore),
        );
      }
    },
  };
}

