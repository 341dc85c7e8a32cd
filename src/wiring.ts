import type { StartPass } from './http/ops.js';
import { createApp, type BotApp } from './app.js';
import { createBot } from './bot/bot.js';
import type { EventSink } from './bot/events.js';
import type { Config } from './config.js';
import { feishuClientFor, type FeishuClient } from './feishu/client.js';
import { createI18n, type I18n } from './i18n.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { AccrualJob, EnqueueOptions, WorkQueue } from './jobs/types.js';
import { createSelfService } from './services/self-service.js';
import { storeKeys, type StoreKeys } from './store/keys.js';
import type { Store } from './store/types.js';

export interface BotParts {
  store: Store;
  logger: Logger;
  metrics: Metrics;
  /** Built once per process or isolate and reused (pure memory); a fresh one otherwise. */
  i18n?: I18n;
  /** Replaces the bot (tests, local tools). */
  sink?: EventSink;
  runReminders?: StartPass | undefined;
  /** Whether the event receiver is up (websocket mode), for `/readyz`. */
  receiverUp?: () => boolean;
  /** The shared queue (BullMQ); without one the app runs an in-process queue. */
  queue?: WorkQueue;
}

export interface BuiltBot {
  bot: BotApp;
  /** What queued jobs run (workers build their processor from it). */
  sink: EventSink;
  feishu: FeishuClient;
  keys: StoreKeys;
}

/**
 * The wiring both entries share: Feishu client, self-service, bot and HTTP app over one
 * store. No listening, no process handlers: `main.ts` serves it, `worker.ts` builds it
 * per request (a Redis socket may not outlive the Workers request that opened it).
 *
 * @example
 * const { bot } = buildBot(config, { store, logger, metrics })
 * const res = await bot.app.fetch(request)
 */
export function buildBot(config: Config, parts: BotParts): BuiltBot {
  const { store, logger, metrics } = parts;
  const keys = storeKeys(config.feishu.appId);
  const feishu = feishuClientFor(config, { store, logger, metrics });
  // The bot queues the HR flow's jobs on the app's queue, which exists once the app is built.
  const built: { queue?: WorkQueue } = {};
  const jobs = {
    enqueue: (job: AccrualJob, opts?: EnqueueOptions) => {
      if (!built.queue) throw new Error('queue not ready');
      return built.queue.enqueue(job, opts);
    },
  };
  const sink =
    parts.sink ??
    createBot({
      config,
      store,
      keys,
      feishu: feishu.api,
      messenger: feishu.messenger,
      i18n: parts.i18n ?? createI18n(),
      logger,
      metrics,
      selfService: createSelfService({ config, store, keys, feishu: feishu.api, logger, metrics }),
      jobs,
    });
  const bot = createApp({
    config,
    store,
    keys,
    sink,
    messenger: feishu.messenger,
    logger,
    metrics,
    runReminders: parts.runReminders,
    receiverUp: parts.receiverUp,
    queue: parts.queue,
  });
  built.queue = bot.queue;
  return { bot, sink, feishu, keys };
}
