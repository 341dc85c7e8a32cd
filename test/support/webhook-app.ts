/**
 * Builds the real app (real Feishu client against the msw fake, real bot unless a sink is
 * given) for receiver tests, and serves it on a free local port when a test needs real HTTP.
 */
import { testConfig } from './test-config.js';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { deleteKeysWithPrefixes } from './redis-cleanup.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createApp, type AppDeps } from '../../src/app.js';
import type { EventSink } from '../../src/bot/events.js';
import type { AccrualJob, EnqueueOptions, WorkQueue } from '../../src/jobs/types.js';
import { feishuClientFor } from '../../src/feishu/client.js';
import { createI18n } from '../../src/i18n.js';
import { silentLogger } from '../../src/log.js';
import { createMetrics } from '../../src/metrics.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { createRedisStore } from '../../src/store/redis.js';
import { storeKeys } from '../../src/store/keys.js';
import type { Store } from '../../src/store/types.js';
import { createFeishuMock, type FeishuMock } from './feishu-mock.js';

/**
 * The Feishu fake, with requests to this machine passed through (tests that post to a
 * real listening server use fetch, which msw sees too).
 */
export function installFeishuMockForServer(): FeishuMock {
  const mock = createFeishuMock();
  beforeAll(() =>
    mock.server.listen({
      onUnhandledRequest(request, print) {
        const host = new URL(request.url).hostname;
        if (host === '127.0.0.1' || host === 'localhost') return;
        print.error();
      },
    }),
  );
  afterEach(() => mock.reset());
  afterAll(() => mock.server.close());
  return mock;
}

const redisUrl = () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A Redis store under a key prefix of its own (real Redis from the globalSetup). `dispose()`
 * closes it and deletes its keys, which would otherwise linger for the 9-hour dedupe TTL.
 */
export function redisTestStore(): Store & { dispose(): Promise<void> } {
  const prefix = `test-http:${randomBytes(4).toString('hex')}:`;
  const store = createRedisStore(redisUrl(), { keyPrefix: prefix });
  return {
    ...store,
    async dispose() {
      await store.close();
      await deleteKeysWithPrefixes(redisUrl(), [prefix]);
    },
  };
}

export interface TestAppOptions extends Partial<Omit<AppDeps, 'config'>> {
  mock: FeishuMock;
  encryptKey?: string;
  adminToken?: string;
  sink?: EventSink;
  /** Wire the real self-service (leave, payslips, one-time payments) into the real bot. */
  selfService?: boolean;
  /** Any other configuration variable (`FEISHU_LEGACY_CARD_CALLBACKS`, `FEISHU_EVENT_MODE`, …). */
  env?: Record<string, string>;
}

/**
 * The real app wired like `main.ts`, with a fresh app id, memory store unless given, silent
 * logs. Without a `sink` it runs the real bot (loaded lazily so sink-only tests never depend on it).
 */
export async function buildTestApp(o: TestAppOptions) {
  const config = testConfig({ FEISHU_BASE_URL: o.mock.baseUrl, FEISHU_ENCRYPT_KEY: o.encryptKey, ADMIN_TOKEN: o.adminToken, ...o.env });
  const store = o.store ?? createMemoryStore();
  const metrics = o.metrics ?? createMetrics();
  const logger = o.logger ?? silentLogger;
  const keys = storeKeys(config.feishu.appId);
  const feishu = feishuClientFor(config, { store, logger, metrics });
  const selfService = o.selfService
    ? (await import('../../src/services/self-service.js')).createSelfService({ config, store, keys, feishu: feishu.api, logger, metrics })
    : undefined;
  // The bot queues the HR flow's jobs on the app's queue, built just below (as `src/wiring.ts` does).
  const built: { queue?: WorkQueue } = {};
  const jobs = {
    enqueue: (job: AccrualJob, opts?: EnqueueOptions) => {
      if (!built.queue) throw new Error('queue not ready');
      return built.queue.enqueue(job, opts);
    },
  };
  const sink =
    o.sink ??
    (await import('../../src/bot/bot.js')).createBot({
      config,
      store,
      keys,
      feishu: feishu.api,
      messenger: feishu.messenger,
      i18n: createI18n(),
      logger,
      metrics,
      ...(selfService ? { selfService } : {}),
      jobs,
    });
  const bot = createApp({ ...o, config, store, keys, sink, messenger: o.messenger ?? feishu.messenger, logger, metrics });
  built.queue = bot.queue;
  return { ...bot, config, store, keys, metrics, feishu };
}

/** Serves `fetch` on 127.0.0.1 with a free port. */
export async function listenLocally(fetch: (req: Request, env: never) => Response | Promise<Response>) {
  const server = serve({ fetch: fetch as never, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A sink that records what it got and answers as told. */
export function recordingSink(opts: Partial<EventSink> = {}) {
  const messages: Parameters<EventSink['onMessage']>[0][] = [];
  const actions: Parameters<EventSink['onCardAction']>[0][] = [];
  const followUps: Parameters<EventSink['onCardFollowUp']>[0][] = [];
  const sink: EventSink = {
    ...(opts.onGiveUp ? { onGiveUp: opts.onGiveUp } : {}),
    async onMessage(msg) {
      messages.push(msg);
      await opts.onMessage?.(msg);
    },
    async onCardAction(action) {
      actions.push(action);
      return opts.onCardAction ? opts.onCardAction(action) : {};
    },
    async onCardFollowUp(action) {
      followUps.push(action);
      await opts.onCardFollowUp?.(action);
    },
  };
  return { sink, messages, actions, followUps };
}
