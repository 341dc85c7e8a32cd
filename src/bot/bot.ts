import { RUN_INTENT_ACTION } from '../../cards/common.js';
import { buildNoticeCard } from '../../cards/notice.js';
import { SUGGESTABLE_INTENTS, type SuggestableIntent } from '../../cards/unknown.js';
import type { Config } from '../config.js';
import type { FeishuApi, Messenger } from '../feishu/types.js';
import type { I18n } from '../i18n.js';
import { errorSummary, type Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { StoreKeys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import type { BotContext, Reply } from './context.js';
import { dispatchIntent, type SelfServiceCommands } from './dispatch.js';
import type { CardActionResult, EventSink, IncomingCardAction, IncomingMessage } from './events.js';
import { parseIntent, type ParsedIntent } from './intents.js';
import { resolveLocale } from './language.js';
import { messageText } from './message-text.js';
import { createBotIdentity } from './bot-identity.js';
import { createTenantLeaveTypes } from './tenant-leave-types.js';
import { suggestIntents, understand } from './understand.js';
import { unknownCommand } from './commands/unknown.js';

/** What the bot needs from the outside; built once by `src/main.ts`. */
export interface BotDeps {
  config: Config;
  store: Store;
  keys: StoreKeys;
  feishu: FeishuApi;
  messenger: Messenger;
  i18n: I18n;
  logger: Logger;
  metrics: Metrics;
  /** Employee self-service answers; without them those intents say "coming soon". */
  selfService?: SelfServiceCommands;
  /** Injected clock (tests). */
  now?: () => Date;
}

/** The mention key Feishu uses for "@all" (`@_all`); every member, the bot included, gets it. */
const EVERYONE_MENTION = '@_all';

/** A private chat is remembered for 30 days, renewed by every message in it. */
const PRIVATE_CHAT_TTL_MS = 30 * 24 * 3600_000;

/**
 * The bot: verified events in, cards out. Every answer is for the person who asked
 * or clicked; sensitive answers reach only their private chat.
 *
 * @example
 * const sink = createBot(deps)
 * await sink.onMessage(msg)
 */
export function createBot(deps: BotDeps): EventSink {
  const { store, keys, messenger, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const tenantLeaveTypes = createTenantLeaveTypes(store, keys);
  const botOpenId = createBotIdentity({ feishu: deps.feishu, store, keys, logger });

  /**
   * In groups the bot speaks only when spoken to: a mention of the bot itself (an @all
   * announcement is not addressed to it). Until its own open_id is known, any mention counts.
   */
  async function addressedToBot(msg: IncomingMessage): Promise<boolean> {
    const mentions = msg.mentions.filter((m) => m.key !== EVERYONE_MENTION);
    if (mentions.length === 0) return false;
    const self = await botOpenId();
    return self === undefined || mentions.some((m) => m.openId === self);
  }

  async function contextFor(openId: string, chatId: string | undefined, isPrivate: boolean, text?: string): Promise<BotContext> {
    const locale = await resolveLocale(store, keys, openId, text, deps.config.defaultLocale);
    return { openId, chatId, isPrivate, locale, t: deps.i18n.t(locale), now: now(), timeZone: deps.config.reminders.timeZone };
  }

  /** Runs the intent; an unexpected failure becomes an apology card, never silence. */
  async function answer(ctx: BotContext, parsed: ParsedIntent, suggestions: readonly SuggestableIntent[]): Promise<Reply> {
    try {
      return await dispatchIntent(ctx, parsed, suggestions, deps);
    } catch (err) {
      logger.error({ intent: parsed.intent, err: errorSummary(err, { message: false }) }, 'intent handler failed');
      return { card: buildNoticeCard(ctx.t('common.botName'), ctx.t('common.somethingWrong'), 'red'), sensitive: false };
    }
  }

  /**
   * Sends to the person's private chat and remembers which chat that is, so that their
   * clicks there (refresh) can update cards in place.
   */
  async function sendPrivately(openId: string, card: Reply['card'], uuid: string): Promise<void> {
    const sent = await messenger.send({ openId }, card, { uuid });
    if (sent.chatId) await store.set(keys.privateChat(openId), sent.chatId, { ttlMs: PRIVATE_CHAT_TTL_MS });
  }

  async function privacyNotice(ctx: BotContext): Promise<Reply['card']> {
    return buildNoticeCard(ctx.t('privacy.sentTitle'), ctx.t('privacy.sentPrivatelyNoName'), 'grey');
  }

  async function onMessage(msg: IncomingMessage): Promise<void> {
    if (msg.senderType !== 'user' || !msg.senderOpenId) return;
    const isPrivate = msg.chatType === 'p2p';
    if (!isPrivate && !(await addressedToBot(msg))) return;
    if (isPrivate) await store.set(keys.privateChat(msg.senderOpenId), msg.chatId, { ttlMs: PRIVATE_CHAT_TTL_MS });

    const text = messageText(msg.messageType, msg.content);
    const ctx = await contextFor(msg.senderOpenId, msg.chatId, isPrivate, text);
    const understood =
      text === undefined
        ? undefined
        : understand(text, { now: ctx.now, timeZone: ctx.timeZone, leaveTypes: await tenantLeaveTypes() });
    const reply = understood
      ? await answer(ctx, understood.parsed, understood.suggestions)
      : await unknownCommand(ctx, suggestIntents(''), 'nonText');
    deps.metrics.handlerOutcomes.inc({ type: 'intent', outcome: understood?.parsed.intent ?? 'non_text' });

    const uuid = (suffix: string) => `${msg.messageId}-${suffix}`;
    if (reply.sensitive && !isPrivate) {
      await sendPrivately(msg.senderOpenId, reply.card, uuid('p'));
      await messenger.reply(msg.messageId, await privacyNotice(ctx), { uuid: uuid('n'), chatId: msg.chatId });
      return;
    }
    await messenger.reply(msg.messageId, reply.card, { uuid: uuid('r'), chatId: msg.chatId });
  }

  async function onCardAction(action: IncomingCardAction): Promise<CardActionResult> {
    const operator = action.operatorOpenId;
    const privateChat = operator ? await store.get(keys.privateChat(operator)) : null;
    const isPrivate = Boolean(action.openChatId && privateChat && action.openChatId === privateChat);
    const ctx = await contextFor(operator, action.openChatId, isPrivate);

    const request = parseRunIntent(action.value);
    if (!operator || !request) {
      return { toast: { type: 'error', content: ctx.t('action.invalid') } };
    }
    const reply = await answer(ctx, request.parsed, SUGGESTABLE_INTENTS);
    // A language change answers in the new language; so does the toast.
    const after = request.parsed.intent === 'language.set' ? await contextFor(operator, action.openChatId, isPrivate) : ctx;
    const uuid = `${action.eventId}-a`.slice(0, 50);

    if (reply.sensitive && !isPrivate) {
      await sendPrivately(operator, reply.card, uuid);
      return { toast: { type: 'success', content: after.t('privacy.toastSent') } };
    }
    if (request.placement === 'new') {
      if (isPrivate || !action.openChatId) await sendPrivately(operator, reply.card, uuid);
      else await messenger.send({ chatId: action.openChatId }, reply.card, { uuid });
      return { toast: { type: 'success', content: after.t('action.done') } };
    }
    return { card: reply.card };
  }

  return { onMessage, onCardAction };
}

interface RunIntentRequest {
  parsed: ParsedIntent;
  placement: 'replace' | 'new';
}

/** Reads a run-intent button value; anything forged or stale is refused. */
function parseRunIntent(value: Record<string, unknown>): RunIntentRequest | undefined {
  if (value.action !== RUN_INTENT_ACTION) return undefined;
  let slots: unknown = {};
  if (typeof value.slots === 'string') {
    try {
      slots = JSON.parse(value.slots);
    } catch {
      return undefined;
    }
  } else if (value.slots !== undefined) {
    slots = value.slots;
  }
  if (typeof slots !== 'object' || slots === null || Array.isArray(slots)) return undefined;
  const parsed = parseIntent(value.intent, slots);
  if (!parsed || parsed.intent === 'unknown' || parsed.intent === 'accrual.edit') return undefined;
  return { parsed, placement: value.placement === 'new' ? 'new' : 'replace' };
}
