import { startFakeFeishu, type FakeCall, type FakeEmployee, type FakeFeishu } from '../../bench/fake-feishu.js';
import { createOwnerDelivery } from '../../src/bot/delivery.js';
import type { Config } from '../../src/config.js';
import { feishuClientFor } from '../../src/feishu/client.js';
import { createI18n } from '../../src/i18n.js';
import { createBullQueue } from '../../src/jobs/bullmq.js';
import { createMemoryQueue } from '../../src/jobs/memory.js';
import type { WorkQueue } from '../../src/jobs/types.js';
import { silentLogger } from '../../src/log.js';
import { createMetrics } from '../../src/metrics.js';
import type { ReminderDeps } from '../../src/reminders/pass.js';
import { createReminderPushProcessor } from '../../src/reminders/push.js';
import { PUSH_CONCURRENCY, PUSH_QUEUE_NAME } from '../../src/reminders/runner.js';
import { storeKeys } from '../../src/store/keys.js';
import { createStore } from '../../src/store/index.js';
import { testConfig } from '../support/test-config.js';

export interface ReminderSetup {
  fake: FakeFeishu;
  config: Config;
  deps: ReminderDeps;
  /** A push queue worked by this process: `memory` (in-process) or `bullmq` (under the app's own prefix). */
  pushQueue(kind: 'memory' | 'bullmq'): WorkQueue;
  close(): Promise<void>;
}

/**
 * Reminder dependencies against the local fake Feishu (real HTTP, the published limits
 * enforced with 429s) and a real Redis store under a fresh app id.
 */
export async function reminderSetup(employees: readonly FakeEmployee[], env: Record<string, string> = {}): Promise<ReminderSetup> {
  const fake = await startFakeFeishu({ employees });
  const config = testConfig({ FEISHU_BASE_URL: fake.url, REDIS_URL: process.env.TEST_REDIS_URL!, ...env });
  const store = createStore(config.redisUrl, { autoPipelining: true });
  const keys = storeKeys(config.feishu.appId);
  const feishu = feishuClientFor(config, { store, logger: silentLogger, metrics: createMetrics() });
  const deps: ReminderDeps = {
    config,
    store,
    keys,
    api: feishu.api,
    delivery: createOwnerDelivery({ store, keys, messenger: feishu.messenger }),
    i18n: createI18n(),
    logger: silentLogger,
    metrics: createMetrics(),
  };
  const queues: WorkQueue[] = [];
  return {
    fake,
    config,
    deps,
    pushQueue(kind) {
      const queue =
        kind === 'memory'
          ? createMemoryQueue({ logger: silentLogger, concurrency: PUSH_CONCURRENCY })
          : createBullQueue({ url: config.redisUrl!, prefix: `hrbot:${config.feishu.appId}:bull`, logger: silentLogger, queueName: PUSH_QUEUE_NAME, concurrency: PUSH_CONCURRENCY });
      queue.startWorker(createReminderPushProcessor(deps));
      queues.push(queue);
      return queue;
    },
    async close() {
      await Promise.all(queues.map((q) => q.close()));
      await store.close();
      await fake.close();
    },
  };
}

/** Feishu's published limits on the calls a pass makes (operating contract): [api, per receiver?, max, window ms]. */
const LIMITS: Array<[FakeCall['api'], boolean, number, number]> = [
  ['im.send', false, 50, 1000],
  ['im.send', false, 1000, 60_000],
  ['im.send', true, 5, 1000],
  ['corehr.leaveBalances', false, 100, 60_000],
  ['attendance.expireRecords', false, 50, 1000],
];

/**
 * Every published limit that the calls (refused ones included) went over, as
 * "api max/window: n"; empty when the log never exceeds a limit in any window.
 */
export function limitsExceeded(calls: readonly FakeCall[]): string[] {
  const over: string[] = [];
  for (const [api, perReceiver, max, windowMs] of LIMITS) {
    const groups = new Map<string, number[]>();
    for (const c of calls) {
      if (c.api !== api) continue;
      const key = perReceiver ? (c.receiver ?? '') : '';
      const times = groups.get(key);
      if (times) times.push(c.at);
      else groups.set(key, [c.at]);
    }
    for (const times of groups.values()) {
      let most = 0;
      for (let i = 0, j = 0; j < times.length; j++) {
        while (times[j]! - times[i]! >= windowMs) i++;
        most = Math.max(most, j - i + 1);
      }
      if (most > max) over.push(`${api}${perReceiver ? ' per receiver' : ''} ${max}/${windowMs}ms: ${most}`);
    }
  }
  return over;
}

/** Every text of a card, joined (for "contains" checks). */
export function cardText(content: string): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(JSON.parse(content));
  return out.join('\n');
}
