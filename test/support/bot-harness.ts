/**
 * Builds a real bot (real Feishu client against the msw fake, memory or Redis store)
 * for tests that drive `onMessage` / `onCardAction` directly.
 */
import { testConfig } from './test-config.js';
import type { Config } from '../../src/config.js';
import { createBot, type BotDeps } from '../../src/bot/bot.js';
import type { IncomingCardAction, IncomingMessage } from '../../src/bot/events.js';
import { feishuClientFor } from '../../src/feishu/client.js';
import { createI18n } from '../../src/i18n.js';
import { silentLogger } from '../../src/log.js';
import { createMemoryQueue } from '../../src/jobs/memory.js';
import { createJobProcessor } from '../../src/jobs/runner.js';
import { createMetrics } from '../../src/metrics.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { storeKeys } from '../../src/store/keys.js';
import type { Store } from '../../src/store/types.js';
import type { FeishuMock } from './feishu-mock.js';

export interface BotHarness {
  config: Config;
  store: Store;
  keys: ReturnType<typeof storeKeys>;
  bot: ReturnType<typeof createBot>;
  deps: BotDeps;
}

export function makeBot(
  mock: FeishuMock,
  opts: { env?: Record<string, string>; store?: Store; now?: () => Date; extra?: Partial<BotDeps> } = {},
): BotHarness {
  const config = testConfig({ FEISHU_BASE_URL: mock.baseUrl, ...opts.env });
  const store = opts.store ?? createMemoryStore();
  const keys = storeKeys(config.feishu.appId);
  const metrics = createMetrics();
  const feishu = feishuClientFor(config, {
    store,
    logger: silentLogger,
    metrics,
  });
  // The HR flow's jobs run in an in-process queue worked by this very bot.
  const queue = createMemoryQueue({ logger: silentLogger });
  const deps: BotDeps = {
    config,
    store,
    keys,
    feishu: feishu.api,
    messenger: feishu.messenger,
    i18n: createI18n(),
    logger: silentLogger,
    metrics,
    now: opts.now ?? (() => new Date('2025-03-15T04:00:00Z')),
    jobs: queue,
    ...opts.extra,
  };
  const bot = createBot(deps);
  queue.startWorker(createJobProcessor({ sink: bot, logger: silentLogger, metrics }));
  return { config, store, keys, bot, deps };
}

let seq = 0;

/** A p2p or group text message from `openId`. */
export function textMessage(text: string, opts: Partial<IncomingMessage> = {}): IncomingMessage {
  seq += 1;
  return {
    eventId: `ev_${Date.now()}_${seq}`,
    messageId: `om_test_${Date.now()}_${seq}`,
    chatId: 'oc_p2p_alice',
    chatType: 'p2p',
    messageType: 'text',
    content: JSON.stringify({ text }),
    senderOpenId: 'ou_alice',
    senderType: 'user',
    mentions: [],
    createTime: Date.now(),
    ...opts,
  };
}

/** A click on a card button. */
export function cardClick(value: Record<string, unknown>, opts: Partial<IncomingCardAction> = {}): IncomingCardAction {
  seq += 1;
  return {
    eventId: `ev_card_${Date.now()}_${seq}`,
    operatorOpenId: 'ou_alice',
    value,
    openMessageId: 'om_card',
    openChatId: 'oc_p2p_alice',
    ...opts,
  };
}

/** The card JSON of a sent message. */
export function cardOf(content: string): { schema: string; header?: { title: { content: string } }; body: { elements: unknown[] } } {
  return JSON.parse(content);
}
