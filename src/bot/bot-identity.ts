import { z } from 'zod';
import type { FeishuApi } from '../feishu/types.js';
import type { Logger } from '../log.js';
import type { StoreKeys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { errorSummary } from '../log.js';
import { apiPath } from '../feishu/apis.js';

const BotInfo = z.object({ bot: z.object({ open_id: z.string().min(1) }) });

/** The bot's open_id never changes for an app; a day keeps it fresh enough. */
const KNOWN_TTL_MS = 24 * 3600_000;
/** After a failed look-up, wait this long before asking Feishu again. */
const RETRY_AFTER_MS = 60_000;

/**
 * The bot's own open_id (`GET /open-apis/bot/v3/info`), shared through the store and
 * remembered in the process. Undefined while it cannot be learnt: callers then fall back
 * to treating any mention as a mention of the bot.
 *
 * @example
 * const botOpenId = createBotIdentity({ feishu, store, keys, logger })
 * const mentioned = msg.mentions.some((m) => m.openId === (await botOpenId()))
 */
export function createBotIdentity(deps: { feishu: FeishuApi; store: Store; keys: StoreKeys; logger: Logger }) {
  let known: string | undefined;
  let retryAt = 0;
  return async function botOpenId(): Promise<string | undefined> {
    if (known) return known;
    const cached = await deps.store.get(deps.keys.botOpenId());
    if (cached) return (known = cached);
    if (Date.now() < retryAt) return undefined;
    try {
      const info = await deps.feishu.call('bot.info', { method: 'GET', url: apiPath('bot.info') }, BotInfo, {
        topLevel: true,
        maxWaitMs: 5_000,
      });
      known = info.bot.open_id;
      await deps.store.set(deps.keys.botOpenId(), known, { ttlMs: KNOWN_TTL_MS });
      return known;
    } catch (err) {
      retryAt = Date.now() + RETRY_AFTER_MS;
      deps.logger.warn({ api: 'bot.info', err: errorSummary(err) }, 'could not learn the bot open_id; answering any mention');
      return undefined;
    }
  };
}
