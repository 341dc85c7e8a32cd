import { createPersonZones } from './person-zone.js';
import { noticeCard } from '../../cards/notice.js';
import type { Config } from '../config.js';
import type { FeishuApi, Messenger } from '../feishu/types.js';
import type { I18n } from '../i18n.js';
import { errorSummary, type Logger } from '../log.js';
import { currentJob, runInJob } from '../jobs/context.js';
import type { Metrics } from '../metrics.js';
import type { SelfService } from '../services/self-service.js';
import type { StoreKeys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { createAuditLog } from '../services/accrual/audit.js';
import { createEditRequests } from '../services/accrual/requests.js';
import { DEFAULT_ACCRUAL_TIMING, type AccrualJobs, type AccrualTiming } from './accrual/deps.js';
import { createAccrualFlow, type AccrualFlow } from './accrual/flow.js';
import { buildActions, clickLocaleOf, withClickLocale } from './actions/registry.js';
import { createBotIdentity } from './bot-identity.js';
import type { BotContext, Reply } from './context.js';
import { createOwnerDelivery } from './delivery.js';
import type { CardActionResult, EventSink, IncomingCardAction, IncomingEntry, IncomingMessage } from './events.js';
import { buildIntents, INTENTS, menuIntent, type ParsedIntent } from './intents/registry.js';
import { localeOfText, resolveLocale } from './language.js';
import { LOCALES, type Locale } from '../domain/locales.js';
import { bilingualCard } from '../feishu/card-i18n.js';
import type { Card } from '../feishu/card.js';
import { messageText } from './message-text.js';
import { createTenantLeaveTypes } from './tenant-leave-types.js';
import { suggestIntents, understand } from './understand.js';

/** What the bot needs from the outside; built once by `src/wiring.ts`. */
export interface BotDeps {
  config: Config;
  store: Store;
  keys: StoreKeys;
  feishu: FeishuApi;
  messenger: Messenger;
  i18n: I18n;
  logger: Logger;
  metrics: Metrics;
  /** Employee self-service (balances, payslips, one-time payments); without it those intents say "coming soon". */
  selfService?: SelfService;
  /** Injected clock (tests). */
  now?: () => Date;
  /** The queue the HR flow's jobs go to (nudge, expiry, write): the app's queue. */
  jobs: AccrualJobs;
  /** The HR flow's waits (tests shorten them); default 24 h nudge, 7-day expiry, 5-minute write guard. */
  accrualTiming?: Partial<AccrualTiming>;
  /**
   * An answer with HR data that has not come after this long (ms) is announced with a
   * "looking it up" card that the answer then replaces. Default 1 s (`PROGRESS_AFTER_MS`).
   * A rate-limit slot further away than `PROGRESS_AFTER_MS` announces it at once.
   */
  progressAfterMs?: number;
}

/** "Once per person": the welcome claim outlives any deployment. */
const WELCOMED_TTL_MS = 10 * 365 * 24 * 3600_000;

/** About the longest a person waits without any sign of life. */
export const PROGRESS_AFTER_MS = 1_000;

/** The mention key Feishu uses for "@all" (`@_all`); every member, the bot included, gets it. */
const EVERYONE_MENTION = '@_all';

/**
 * The bot: verified events in, cards out. Every answer is for the person who asked or
 * clicked. HR data goes only to its owner, by open_id (see `delivery.ts`); answers
 * without HR data may reply in place.
 *
 * @example
 * const sink = createBot(deps)
 * await sink.onMessage(msg)
 */
/** The bot's event sink (the HR flow's queued jobs included), plus that flow. */
export interface Bot extends EventSink {
  accrual: AccrualFlow;
}

export function createBot(deps: BotDeps): Bot {
  const { store, keys, messenger, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const progressAfterMs = deps.progressAfterMs ?? PROGRESS_AFTER_MS;
  const tenantLeaveTypes = createTenantLeaveTypes(store, keys);
  const botOpenId = createBotIdentity({ feishu: deps.feishu, store, keys, logger });
  const delivery = createOwnerDelivery({ store, keys, messenger });
  const accrual = createAccrualFlow({
    config: deps.config,
    store,
    keys,
    feishu: deps.feishu,
    delivery,
    requests: createEditRequests(store, keys),
    audit: createAuditLog(store, keys),
    logger,
    i18n: deps.i18n,
    now,
    jobs: deps.jobs,
    timing: { ...DEFAULT_ACCRUAL_TIMING, ...deps.accrualTiming },
    contextFor: (openId) => contextFor(openId),
  });
  const personZone = createPersonZones({ api: deps.feishu, fallback: deps.config.timeZone, logger });
  const intents = buildIntents({ config: deps.config, store, keys, i18n: deps.i18n, logger, selfService: deps.selfService, accrual, personZone });
  const actions = buildActions({ runIntent, runIntentWithProgress, delivery, contextFor: (openId) => contextFor(openId), accrual });

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

  /** open_ids of the people a message mentions, the bot and @all left out. */
  async function peopleMentioned(msg: IncomingMessage): Promise<string[]> {
    const people = msg.mentions.filter((m) => m.key !== EVERYONE_MENTION && m.openId);
    if (people.length === 0) return [];
    const self = await botOpenId();
    return [...new Set(people.map((m) => m.openId).filter((id): id is string => Boolean(id) && id !== self))];
  }

  /**
   * Who asks and in which language: their stored choice, else `hint` (the script of their
   * message, or the language of the card they clicked), else DEFAULT_LOCALE.
   */
  async function contextFor(openId: string, hint?: Locale): Promise<BotContext> {
    const locale = await resolveLocale(store, keys, openId, hint, deps.config.defaultLocale);
    return contextIn(openId, locale);
  }

  function contextIn(openId: string, locale: Locale): BotContext {
    return { openId, locale, t: deps.i18n.t(locale), now: now(), timeZone: deps.config.timeZone };
  }

  /** A click's context: the button value says which language the clicked card was in. */
  function clickContext(action: IncomingCardAction): Promise<BotContext> {
    return contextFor(action.operatorOpenId, clickLocaleOf(action.value));
  }

  /**
   * Runs the intent; an unexpected failure becomes an apology card, never silence. Every
   * button on the answer carries the answer's language, so a click on it answers in it.
   */
  async function runIntent(ctx: BotContext, parsed: ParsedIntent): Promise<Reply> {
    try {
      const reply = await intents(ctx, parsed);
      return { ...reply, card: withClickLocale(reply.card, ctx.locale) };
    } catch (err) {
      logger.error({ intent: parsed.intent, err: errorSummary(err, { message: false }) }, 'intent handler failed');
      return { card: noticeCard(ctx.t('common.botName'), ctx.t('common.somethingWrong'), 'red'), sensitive: false };
    }
  }

  /**
   * A card for a group, in both languages (each reader sees their own), when `build`
   * makes the same card in each; otherwise the asker's language. Buttons on it carry no
   * language: a click on it is answered in the clicker's stored choice or DEFAULT_LOCALE.
   */
  async function forEveryone(ctx: BotContext, build: (ctx: BotContext) => Card | Promise<Card>): Promise<Card> {
    const builds = Object.fromEntries(
      await Promise.all(LOCALES.map(async (l) => [l, await build({ ...contextIn(ctx.openId, l), shared: true })] as const)),
    ) as Record<Locale, Card>;
    return bilingualCard(builds, deps.config.defaultLocale) ?? withClickLocale(await build(ctx), ctx.locale);
  }

  async function onMessage(msg: IncomingMessage): Promise<void> {
    if (msg.senderType !== 'user' || !msg.senderOpenId) return;
    const inGroup = msg.chatType !== 'p2p';
    if (inGroup && !(await addressedToBot(msg))) return;

    const text = messageText(msg.messageType, msg.content);
    // Read beside the person's language: both reads share one round trip to the store.
    const leaveTypes = text === undefined ? undefined : tenantLeaveTypes();
    leaveTypes?.catch(() => undefined); // awaited below; this only keeps an early throw from leaving it unhandled
    const ctx = { ...(await contextFor(msg.senderOpenId, localeOfText(text))), mentions: await peopleMentioned(msg) };
    const parsed: ParsedIntent =
      text === undefined || leaveTypes === undefined
        ? { intent: 'unknown', slots: { suggestions: suggestIntents(''), reason: 'nonText' } }
        : understand(text, { now: ctx.now, timeZone: ctx.timeZone, leaveTypes: await leaveTypes });
    const progress = watchProgress(ctx, INTENTS[parsed.intent].sensitive, `${msg.messageId}-w`);
    const reply = await progress.run(() => runIntent(ctx, parsed));
    deps.metrics.handlerOutcomes.inc({ type: 'intent', outcome: text === undefined ? 'non_text' : parsed.intent });

    const uuid = (suffix: string) => `${msg.messageId}-${suffix}`;
    if (reply.sensitive) {
      // Whatever the event says about its chat: the data goes to the sender, by open_id.
      await sendPrivately(ctx, reply, progress, uuid('p'));
      if (inGroup) await messenger.reply(msg.messageId, await forEveryone(ctx, privacyNotice), { uuid: uuid('n'), chatId: msg.chatId });
      return;
    }
    const card =
      inGroup && INTENTS[parsed.intent].sameForEveryone
        ? await forEveryone(ctx, async (c) => (await intents(c, parsed)).card)
        : reply.card;
    await messenger.reply(msg.messageId, card, { uuid: uuid('r'), chatId: msg.chatId });
  }

  /**
   * Progress for an answer with HR data: when the rate limiter puts a call of it more than
   * a second away, or the answer has not come within `progressAfterMs`, the asker
   * gets a small "looking it up" card at once, by open_id (through the delivery rule, so
   * the bot knows it sent that message to that person), or, with `inPlace`, into that card
   * when the bot sent it to this same person (a Refresh); `settled()` names the placeholder,
   * so that the answer replaces it in place. Quick answers never see it.
   */
  function watchProgress(ctx: BotContext, sensitive: boolean, uuid: string, inPlace?: string) {
    let shown: Promise<string | undefined> | undefined;
    const show = () => {
      const card = noticeCard(ctx.t('progress.title'), ctx.t('progress.body'), 'wathet');
      shown ??= (async () => {
        // A card the bot sent this very person (a Refresh on their own card) turns into the placeholder.
        if (inPlace && (await delivery.updateOwn(inPlace, ctx.openId, card))) return inPlace;
        return delivery.sendToOwner(ctx.openId, card, uuid);
      })().catch((err: unknown) => {
        logger.warn({ err: errorSummary(err) }, 'progress card not sent');
        return undefined;
      });
    };
    return {
      async run<T>(work: () => Promise<T>): Promise<T> {
        if (!sensitive) return work();
        const timer = setTimeout(show, progressAfterMs);
        const onSlotWait = (delayMs: number) => {
          if (delayMs >= PROGRESS_AFTER_MS) show();
        };
        try {
          return await runInJob({ ...currentJob(), onSlotWait }, work);
        } finally {
          clearTimeout(timer);
        }
      },
      /** The placeholder's message id, once it has been sent (undefined when none was needed). */
      settled: async (): Promise<string | undefined> => shown,
    };
  }

  /** `runIntent` with progress shown as for a typed question (a card click's follow-up). */
  async function runIntentWithProgress(
    ctx: BotContext,
    parsed: ParsedIntent,
    uuid: string,
    inPlace?: string,
  ): Promise<{ reply: Reply; placeholder: string | undefined }> {
    const progress = watchProgress(ctx, INTENTS[parsed.intent].sensitive, uuid, inPlace);
    const reply = await progress.run(() => runIntent(ctx, parsed));
    return { reply, placeholder: await progress.settled() };
  }

  /** The answer to its owner by open_id: into the progress card when one was shown, else a new message. */
  async function sendPrivately(ctx: BotContext, reply: Reply, progress: ReturnType<typeof watchProgress>, uuid: string): Promise<void> {
    const placeholder = await progress.settled();
    if (placeholder) await delivery.updateOrSend(placeholder, ctx.openId, reply.card, uuid);
    else await delivery.sendToOwner(ctx.openId, reply.card, uuid);
  }

  /**
   * A bot-menu click runs the intent its `event_key` names (an unknown key gets the help
   * card); a first visit to the bot's private chat gets the help card, once per person
   * (claimed atomically in the shared store, so two instances never both greet). Either
   * way the answer goes to the person by open_id, in their stored language or DEFAULT_LOCALE.
   */
  async function onEntry(entry: IncomingEntry): Promise<void> {
    if (!entry.operatorOpenId) return;
    const ctx = await contextFor(entry.operatorOpenId);
    const uuid = (suffix: string) => `${entry.eventId}-${suffix}`;
    if (entry.kind === 'p2pEntered') {
      if (!(await claimWelcome(entry))) return;
      const reply = await runIntent(ctx, { intent: 'help', slots: {} });
      await delivery.sendToOwner(ctx.openId, reply.card, uuid('h'));
      deps.metrics.handlerOutcomes.inc({ type: 'intent', outcome: 'welcome' });
      return;
    }
    const found = menuIntent(entry.eventKey ?? '', ctx.locale);
    if (!found) logger.info({ eventId: entry.eventId, eventKey: entry.eventKey }, 'menu key names no intent; answering with help');
    const parsed: ParsedIntent = found ?? { intent: 'help', slots: {} };
    const progress = watchProgress(ctx, INTENTS[parsed.intent].sensitive, uuid('w'));
    const reply = await progress.run(() => runIntent(ctx, parsed));
    deps.metrics.handlerOutcomes.inc({ type: 'intent', outcome: parsed.intent });
    await sendPrivately(ctx, reply, progress, uuid('m'));
  }

  /** True when this event greets the person: the first to claim, or a re-run of the job that did. */
  async function claimWelcome(entry: IncomingEntry): Promise<boolean> {
    const key = keys.welcomed(entry.operatorOpenId);
    if (await store.setIfAbsent(key, entry.eventId, WELCOMED_TTL_MS)) return true;
    return (await store.get(key)) === entry.eventId;
  }

  function privacyNotice(ctx: BotContext): Reply['card'] {
    return noticeCard(ctx.t('privacy.sentTitle'), ctx.t('privacy.sentPrivatelyNoName'), 'grey');
  }

  async function onCardAction(action: IncomingCardAction): Promise<CardActionResult> {
    const ctx = await clickContext(action);
    const result = action.operatorOpenId ? await actions.handle(ctx, action) : undefined;
    if (!result) return { toast: { type: 'error', content: ctx.t('action.invalid') } };
    return result.card ? { ...result, card: withClickLocale(result.card, ctx.locale) } : result;
  }

  async function onCardFollowUp(action: IncomingCardAction): Promise<void> {
    if (!action.operatorOpenId) return;
    await actions.followUp(await clickContext(action), action);
  }

  /**
   * The message's job failed for good: an apology by open_id (never into a group), with a
   * uuid of its own so a re-run of this step sends it once.
   */
  async function onGiveUp(msg: IncomingMessage): Promise<void> {
    if (!msg.senderOpenId) return;
    const ctx = await contextFor(msg.senderOpenId);
    const card = noticeCard(ctx.t('common.botName'), ctx.t('common.somethingWrong'), 'red');
    await messenger.send({ openId: msg.senderOpenId }, card, { uuid: `${msg.messageId}-x` });
  }

  return {
    onMessage,
    onCardAction,
    onCardFollowUp,
    onEntry,
    onGiveUp,
    onAccrualJob: (job) => accrual.settler.runJob(job),
    onAccrualGiveUp: (job, code) => accrual.settler.giveUp(job, code),
    accrual,
  };
}
