import { startFakeFeishu, type FakeEmployee, type FakeFeishu } from '../../bench/fake-feishu.js';
import { createOwnerDelivery } from '../../src/bot/delivery.js';
import type { Config } from '../../src/config.js';
import { feishuClientFor } from '../../src/feishu/client.js';
import { createI18n } from '../../src/i18n.js';
import { silentLogger } from '../../src/log.js';
import { createMetrics } from '../../src/metrics.js';
import type { ReminderDeps } from '../../src/reminders/pass.js';
import { storeKeys } from '../../src/store/keys.js';
import { createStore } from '../../src/store/index.js';
import { testConfig } from '../support/test-config.js';

export interface ReminderSetup {
  fake: FakeFeishu;
  config: Config;
  deps: ReminderDeps;
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
  return {
    fake,
    config,
    deps,
    async close() {
      await store.close();
      await fake.close();
    },
  };
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
