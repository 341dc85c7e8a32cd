/**
 * Two bot instances over one real Redis (as two processes would be), each with its own
 * BullMQ queue and worker on one shared queue (the HR flow's nudge, expiry and write jobs
 * run on whichever instance takes them), a movable clock, and helpers that click like
 * Feishu's receiver does: the callback answer first, then the follow-up when the answer
 * asked for one, then every job that queued until the queue is idle.
 */
import { randomBytes } from 'node:crypto';
import { afterEach } from 'vitest';
import { createBot, type Bot } from '../../../src/bot/bot.js';
import type { AccrualTiming } from '../../../src/bot/accrual/deps.js';
import { createBullQueue } from '../../../src/jobs/bullmq.js';
import { createMemoryQueue } from '../../../src/jobs/memory.js';
import { createJobProcessor } from '../../../src/jobs/runner.js';
import type { WorkQueue } from '../../../src/jobs/types.js';
import type { CardActionResult, IncomingCardAction } from '../../../src/bot/events.js';
import type { Config } from '../../../src/config.js';
import { feishuClientFor } from '../../../src/feishu/client.js';
import type { RetryPolicy } from '../../../src/feishu/outbound.js';
import { createI18n } from '../../../src/i18n.js';
import { silentLogger } from '../../../src/log.js';
import { createMetrics } from '../../../src/metrics.js';
import { storeKeys, type StoreKeys } from '../../../src/store/keys.js';
import { createMemoryStore } from '../../../src/store/memory.js';
import { createRedisStore } from '../../../src/store/redis.js';
import type { Store } from '../../../src/store/types.js';
import type { FeishuMock, SentMessage } from '../../support/feishu-mock.js';
import { deleteKeysWithPrefixes } from '../../support/redis-cleanup.js';
import { testConfig } from '../../support/test-config.js';
import { HR_ENV } from '../../support/accrual.js';
import { callbackValues } from '../../support/card-values.js';

const redisUrl = () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Cluster {
  config: Config;
  keys: StoreKeys;
  /** Instance A and instance B: separate bots, Feishu clients and Redis connections, one Redis. */
  a: Bot;
  b: Bot;
  stores: Store[];
  clock: { now: number };
  /** A fresh instance on a new connection (a restart); `worker: false` queues jobs but runs none. */
  restart(opts?: { worker?: boolean }): Bot;
  /** The BullMQ prefix of the cluster's shared queue (undefined with `memory: true`). */
  queuePrefix: string | undefined;
  /** Stops every instance so far: queues (running jobs handed back) and store connections. */
  shutdown(): Promise<void>;
  /** Resolves when no job is waiting or running on any instance's queue (delayed ones not due yet aside). */
  settled(): Promise<void>;
}

const open: Array<{ stores: Store[]; queues: WorkQueue[]; prefix?: string }> = [];
/** Which cluster a bot belongs to, so `click` can wait for the jobs a click queued. */
const clusterOf = new WeakMap<Bot, Cluster>();

afterEach(async () => {
  for (const { stores, queues, prefix } of open.splice(0)) {
    await Promise.all(queues.splice(0).map((q) => q.close()));
    await Promise.all(stores.splice(0).map((s) => s.close()));
    if (prefix) await deleteKeysWithPrefixes(redisUrl(), [prefix]);
  }
});

/**
 * Two instances on real Redis and BullMQ (or, with `memory: true`, one memory store shared
 * in-process and an in-process queue each). `timing` shortens the flow's waits; `workers`
 * false starts A and B without job workers (their jobs wait in Redis for a restart).
 */
export function cluster(
  mock: FeishuMock,
  opts: { memory?: boolean; env?: Record<string, string>; timing?: Partial<AccrualTiming>; workers?: boolean; retry?: RetryPolicy } = {},
): Cluster {
  const config = testConfig({ FEISHU_BASE_URL: mock.baseUrl, ...HR_ENV, ...opts.env });
  const keys = storeKeys(config.feishu.appId);
  const prefix = `test-accrual:${randomBytes(4).toString('hex')}:`;
  const queuePrefix = opts.memory ? undefined : `${prefix}bull`;
  const shared = opts.memory ? createMemoryStore() : undefined;
  const stores: Store[] = [];
  const queues: WorkQueue[] = [];
  open.push({ stores, queues, ...(opts.memory ? {} : { prefix }) });
  const clock = { now: Date.parse('2026-06-01T02:00:00Z') };
  const instance = (o: { worker?: boolean } = {}): Bot => {
    const store = shared ?? createRedisStore(redisUrl(), { keyPrefix: prefix });
    if (!shared || stores.length === 0) stores.push(store);
    const metrics = createMetrics();
    const feishu = feishuClientFor(config, { store, logger: silentLogger, metrics, ...(opts.retry ? { retry: opts.retry } : {}) });
    const queue = queuePrefix ? createBullQueue({ url: redisUrl(), prefix: queuePrefix, logger: silentLogger, backoffMs: 20 }) : createMemoryQueue({ logger: silentLogger, backoffMs: 20 });
    queues.push(queue);
    const bot = createBot({
      config,
      store,
      keys,
      feishu: feishu.api,
      messenger: feishu.messenger,
      i18n: createI18n(),
      logger: silentLogger,
      metrics,
      now: () => new Date(clock.now),
      jobs: queue,
      ...(opts.timing ? { accrualTiming: opts.timing } : {}),
    });
    if (o.worker ?? opts.workers ?? true) queue.startWorker(createJobProcessor({ sink: bot, logger: silentLogger, metrics }));
    clusterOf.set(bot, c);
    return bot;
  };
  const c: Cluster = {
    config,
    keys,
    stores,
    clock,
    queuePrefix,
    restart: instance,
    async shutdown() {
      await Promise.all(queues.splice(0).map((q) => q.close()));
      await Promise.all(stores.splice(0).map((s) => s.close()));
    },
    async settled() {
      await Promise.all(queues.map((q) => q.idle?.()));
    },
    // Replaced at once below: the instances need `c` to register with.
    a: undefined as unknown as Bot,
    b: undefined as unknown as Bot,
  };
  c.a = instance();
  c.b = instance();
  return c;
}

let seq = 0;

/** A click as the receiver runs it: the answer, then the follow-up if asked for. */
export async function click(bot: Bot, operator: string, value: Record<string, unknown>, opts: Partial<IncomingCardAction> = {}): Promise<CardActionResult> {
  seq += 1;
  const action: IncomingCardAction = { eventId: `ev_acc_${seq}_${Date.now()}`, operatorOpenId: operator, value, ...opts };
  const result = await bot.onCardAction(action);
  if (result.followUp) await bot.onCardFollowUp(action);
  await clusterOf.get(bot)?.settled();
  return result;
}

/** A text message from `sender` mentioning `mentioned` people (in order: `@_user_1`, …). */
export function hrMessage(sender: string, text: string, mentioned: string[] = [], chatType: 'p2p' | 'group' = 'p2p') {
  seq += 1;
  return {
    eventId: `ev_msg_${seq}_${Date.now()}`,
    messageId: `om_msg_${seq}_${Date.now()}`,
    chatId: chatType === 'p2p' ? `oc_p2p_${sender}` : 'oc_hr_group',
    chatType,
    messageType: 'text',
    content: JSON.stringify({ text }),
    senderOpenId: sender,
    senderType: 'user',
    mentions: mentioned.map((openId, i) => ({ key: `@_user_${i + 1}`, openId, name: `Person ${i + 1}` })),
    createTime: Date.now(),
  };
}

/** Every callback value on a card's JSON text. */
export const buttonsOf = (content: string): Array<Record<string, unknown>> => callbackValues(content);

/** The button with `action` on the card, or a failure naming what was there. */
export function button(content: string, action: string): Record<string, unknown> {
  const found = buttonsOf(content).find((v) => v.action === action);
  if (!found) throw new Error(`no ${action} button; found ${JSON.stringify(buttonsOf(content))}`);
  return found;
}

/** Messages sent by open_id to `openId`. */
export function sentTo(mock: FeishuMock, openId: string): SentMessage[] {
  return mock.sent.filter((m) => m.receiveIdType === 'open_id' && m.receiveId === openId);
}

/** The last card update of a message, as text. */
export function lastUpdateOf(mock: FeishuMock, messageId: string): string | undefined {
  const updates = mock.updates.filter((u) => u.kind === 'patch' && u.messageId === messageId);
  const last = updates[updates.length - 1];
  return last?.kind === 'patch' ? last.content : undefined;
}
