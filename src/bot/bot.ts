import type { Config } from '../config.js';
import type { Store } from '../store/types.js';
import type { StoreKeys } from '../store/keys.js';
import type { FeishuApi, Messenger } from '../feishu/types.js';
import type { I18n } from '../i18n.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { EventSink, IncomingCardAction, IncomingMessage, CardActionResult } from './events.js';

/** What the bot needs from the outside; built once in `src/app.ts`'s caller. */
export interface BotDeps {
  config: Config;
  store: Store;
  keys: StoreKeys;
  feishu: FeishuApi;
  messenger: Messenger;
  i18n: I18n;
  logger: Logger;
  metrics: Metrics;
  /** Injected clock (tests). */
  now?: () => Date;
}

/**
 * The bot: verified events in, cards out.
 *
 * @example
 * const sink = createBot(deps)
 * await sink.onMessage(msg)
 */
export function createBot(deps: BotDeps): EventSink {
  return {
    async onMessage(msg: IncomingMessage): Promise<void> {
      if (msg.chatType !== 'p2p' || msg.messageType !== 'text') return;
      const t = deps.i18n.t(deps.config.defaultLocale);
      await deps.messenger.reply(
        msg.messageId,
        {
          schema: '2.0',
          header: { title: { tag: 'plain_text', content: t('common.botName') } },
          body: { elements: [{ tag: 'markdown', content: 'help' }] },
        },
        { uuid: `r-${msg.messageId}`, chatId: msg.chatId },
      );
    },
    async onCardAction(_action: IncomingCardAction): Promise<CardActionResult> {
      return {};
    },
  };
}
