import type { CardActionResult, EventSink, IncomingCardAction, IncomingMessage } from '../bot/events.js';
import type { Messenger } from '../feishu/types.js';
import type { WorkQueue } from '../jobs/types.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { StoreKeys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { createDeduper } from './dedupe.js';
import type { DeferredWork } from '../http/deferred.js';
import { errorSummary } from '../log.js';
import {
  BotMenuEvent,
  BotP2pChatEnteredEvent,
  CardActionEvent,
  type LegacyCardCallback,
  MessageReceiveEvent,
  type V2Envelope,
} from '../http/schemas.js';
import type { IncomingEntry } from '../bot/events.js';
import type { IntakePressure } from '../jobs/intake-pressure.js';

/** Feishu waits 3 s for a card callback; keep half a second for the network and our own work. */
export const DEFAULT_CARD_DEADLINE_MS = 2500;

export interface IntakeDeps {
  store: Store;
  keys: StoreKeys;
  sink: EventSink;
  messenger: Messenger;
  logger: Logger;
  metrics: Metrics;
  /** In-process work that cannot be queued (a late card update holds the callback's running promise). */
  work: DeferredWork;
  /** Where messages (and card follow-ups) go after the ack: BullMQ with Redis, in-process otherwise. */
  queue: WorkQueue;
  /** How long a card callback waits for the bot before answering `{}` and updating later. */
  cardDeadlineMs?: number;
  /** Told of every delivery taken in, so that this process's jobs let a burst's acks go first. */
  pressure?: IntakePressure;
}

/** Per-delivery context supplied by the receiver (HTTP or long connection). */
export interface DeliveryContext {
  log: Logger;
  /** The receiver's id for this delivery (HTTP: the request id), carried by its job to the job's log line. */
  requestId?: string;
  /** Settles once the answer has left, so a delayed card update never overtakes it. */
  responded: Promise<void>;
}

export type IntakeResult =
  | { status: 200; body: Record<string, unknown> }
  | { status: 400; reason: string; message: string };

type CardForm = 'v2' | 'legacy';

const MESSAGE = 'im.message.receive_v1';
const CARD = 'card.action.trigger';
const ok = (body: Record<string, unknown> = {}): IntakeResult => ({ status: 200, body });

/**
 * The event table of the ways in besides messages and card clicks: each event type, the
 * schema of its `event` and what it becomes. A type not listed here (nor a message or
 * callback) is acknowledged and counted as unsupported.
 */
const ENTRY_EVENTS: Record<string, (eventId: string, event: unknown) => IncomingEntry | undefined> = {
  'application.bot.menu_v6': (eventId, event) => {
    const parsed = BotMenuEvent.safeParse(event);
    if (!parsed.success) return undefined;
    return { eventId, kind: 'menu', operatorOpenId: parsed.data.operator.operator_id.open_id, eventKey: parsed.data.event_key };
  },
  'im.chat.access_event.bot_p2p_chat_entered_v1': (eventId, event) => {
    const parsed = BotP2pChatEnteredEvent.safeParse(event);
    return parsed.success ? { eventId, kind: 'p2pEntered', operatorOpenId: parsed.data.operator_id.open_id } : undefined;
  },
};

/** The event types the bot subscribes to (manifest, README). */
export const SUPPORTED_EVENTS: readonly string[] = [MESSAGE, ...Object.keys(ENTRY_EVENTS)];

/** The bot's view of a verified message event (what a message job carries). */
export function toMessage(eventId: string, e: MessageReceiveEvent): IncomingMessage {
  const m = e.message;
  return {
    eventId,
    messageId: m.message_id,
    chatId: m.chat_id,
    chatType: m.chat_type,
    messageType: m.message_type,
    content: m.content,
    senderOpenId: e.sender.sender_id?.open_id ?? '',
    senderType: e.sender.sender_type,
    mentions: (m.mentions ?? []).map((x) => ({ key: x.key, openId: x.id?.open_id, name: x.name })),
    createTime: Number(m.create_time) || Date.now(),
  };
}

function asValue(value: Record<string, unknown> | string | undefined): Record<string, unknown> {
  if (value === undefined) return {};
  return typeof value === 'string' ? { value } : value;
}

function toCardAction(eventId: string, e: CardActionEvent): IncomingCardAction {
  return {
    eventId,
    operatorOpenId: e.operator.open_id,
    value: asValue(e.action.value),
    formValue: e.action.form_value,
    openMessageId: e.context?.open_message_id,
    openChatId: e.context?.open_chat_id,
    updateToken: e.token,
  };
}

/** Maps a legacy message-card callback onto the same action the v2 callback produces. */
export function legacyCardAction(eventId: string, cb: LegacyCardCallback): IncomingCardAction {
  return {
    eventId,
    operatorOpenId: cb.open_id,
    value: asValue(cb.action.value),
    formValue: cb.action.form_value,
    openMessageId: cb.open_message_id,
    openChatId: cb.open_chat_id,
    updateToken: cb.token,
  };
}

/** The callback's HTTP body: toast and card only (`followUp` is ours, never Feishu's). */
function cardResponse(result: CardActionResult, form: CardForm): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (result.toast) body.toast = result.toast;
  if (result.card) {
    if (form === 'v2') body.card = { type: 'raw', data: result.card };
    else Object.assign(body, result.card);
  }
  return body;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(work: Promise<T>): Promise<Settled<T>> {
  return work.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

/** The outcome of `work`, or undefined when it has not settled within `ms`. */
function settleWithin<T>(work: Promise<Settled<T>>, ms: number): Promise<Settled<T> | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The path every verified delivery takes, whatever the receiver: claim in the shared store
 * (a unique token, so only this delivery can release it), queue the work under an id made
 * from the message id, mark it done, ack. The bot runs later as a queue job. Messages
 * dedupe on `message_id`, callbacks on `event_id`.
 *
 * @example
 * const intake = createIntake({ store, keys, sink, messenger, logger, metrics, work, queue })
 * const result = await intake.event(envelope, { log, responded })
 */
export function createIntake(deps: IntakeDeps) {
  const { keys, sink, metrics, work, queue } = deps;
  const dedupe = createDeduper(deps.store);
  const cardDeadlineMs = deps.cardDeadlineMs ?? DEFAULT_CARD_DEADLINE_MS;
  // Bound once: prom-client hashes a label set on every inc(), and messages are the hot path.
  const messageReceived = metrics.eventsReceived.labels({ type: MESSAGE });
  const messageQueued = metrics.handlerOutcomes.labels({ type: MESSAGE, outcome: 'queued' });
  // Messages are the hot path: the receiver builds its per-request child logger only when a
  // line is written, so lines below the configured level are not even asked for.
  const infoEnabled = () => deps.logger.isLevelEnabled('info');
  const debugEnabled = () => deps.logger.isLevelEnabled('debug');
  const requestIdFor = (ctx: DeliveryContext) => (infoEnabled() ? ctx.requestId : undefined);

  async function message(eventId: string, event: unknown, ctx: DeliveryContext): Promise<IntakeResult> {
    const parsed = MessageReceiveEvent.safeParse(event);
    if (!parsed.success) return { status: 400, reason: 'bad_event', message: `malformed ${MESSAGE} event` };
    messageReceived.inc();
    const msg = toMessage(eventId, parsed.data);
    // The bot's own messages and other apps' come back as events too; answering them loops.
    if (msg.senderType !== 'user' || !msg.senderOpenId) {
      metrics.handlerOutcomes.inc({ type: MESSAGE, outcome: 'ignored' });
      return ok();
    }
    const job = { kind: 'message', msg, requestId: requestIdFor(ctx) } as const;
    if (queue.dropsRepeatedMessages) {
      // BullMQ answers each message once however often it is queued (job id, then the
      // started mark): one round trip, and an error here is a 503 that Feishu retries.
      await queue.enqueue(job);
      messageQueued.inc();
      if (debugEnabled()) ctx.log.debug({ eventId, eventType: MESSAGE, outcome: 'queued' }, 'event queued');
      return ok();
    }
    const key = keys.eventDedupe(msg.messageId);
    const token = await dedupe.claim(key);
    if (!token) {
      metrics.duplicatesDropped.inc({ type: MESSAGE });
      if (infoEnabled()) ctx.log.info({ eventId, eventType: MESSAGE, outcome: 'duplicate' }, 'event');
      return ok();
    }
    try {
      await queue.enqueue(job);
    } catch (err) {
      // Not queued: free the claim so Feishu's retry (after the 503 the receiver answers) gets through.
      await dedupe.release(key, token).catch(() => undefined);
      throw err;
    }
    // Queued durably (BullMQ) or in process (memory mode): further copies are duplicates.
    await dedupe.done(key);
    messageQueued.inc();
    // The delivery's one `event` line is written by the job (outcome `handled`).
    if (debugEnabled()) ctx.log.debug({ eventId, eventType: MESSAGE, outcome: 'queued' }, 'event queued');
    return ok();
  }

  /**
   * A menu click or a first visit: claimed once per event id in the shared store, queued
   * like a message (durable with Redis, retried), answered by the job by open_id.
   */
  async function entry(type: string, found: IncomingEntry, ctx: DeliveryContext): Promise<IntakeResult> {
    metrics.eventsReceived.inc({ type });
    const key = keys.eventDedupe(`entry-${found.eventId}`);
    const token = await dedupe.claim(key);
    if (!token) {
      metrics.duplicatesDropped.inc({ type });
      ctx.log.info({ eventId: found.eventId, eventType: type, outcome: 'duplicate' }, 'event');
      return ok();
    }
    try {
      await queue.enqueue({ kind: 'entry', entry: found, requestId: requestIdFor(ctx) });
    } catch (err) {
      await dedupe.release(key, token).catch(() => undefined);
      throw err;
    }
    await dedupe.done(key);
    metrics.handlerOutcomes.inc({ type, outcome: 'queued' });
    return ok();
  }

  /**
   * The sensitive part of a click (data sent by open_id) runs as a queued job of its own
   * kind, like a message: durable with Redis, retried, once per callback event.
   */
  async function followUp(action: IncomingCardAction, ctx: DeliveryContext): Promise<void> {
    try {
      await queue.enqueue({ kind: 'cardFollowUp', action, requestId: requestIdFor(ctx) });
    } catch (err) {
      metrics.handlerOutcomes.inc({ type: CARD, outcome: 'follow_up_failed' });
      ctx.log.error({ eventId: action.eventId, err: errorSummary(err) }, 'card follow-up could not be queued');
    }
  }

  /**
   * Waits up to the deadline for the bot's answer; past it, answers `{}` and delivers the card
   * later through the update token (or a PATCH of the message) once the answer has left.
   */
  async function cardAction(action: IncomingCardAction, form: CardForm, ctx: DeliveryContext): Promise<IntakeResult> {
    metrics.eventsReceived.inc({ type: CARD });
    const key = keys.cardAction(action.eventId);
    // Callbacks are never retried, so a second copy is a replay: acknowledge and do nothing.
    const token = await dedupe.claim(key);
    if (!token) {
      metrics.duplicatesDropped.inc({ type: CARD });
      ctx.log.info({ eventId: action.eventId, eventType: CARD, outcome: 'duplicate' }, 'event');
      return ok();
    }
    const running = settle(Promise.resolve().then(() => sink.onCardAction(action)));
    const settled = await settleWithin(running, cardDeadlineMs);
    const finish = async (outcome: Settled<CardActionResult>, late: boolean): Promise<CardActionResult | undefined> => {
      if (outcome.ok) {
        metrics.handlerOutcomes.inc({ type: CARD, outcome: late ? 'late' : 'ok' });
        await dedupe.done(key);
        ctx.log.info({ eventId: action.eventId, eventType: CARD, outcome: late ? 'handled_late' : 'handled' }, 'event');
        return outcome.value;
      }
      metrics.handlerOutcomes.inc({ type: CARD, outcome: 'failed' });
      ctx.log.error({ eventId: action.eventId, err: errorSummary(outcome.error) }, 'card action handler failed');
      await dedupe.release(key, token);
      return undefined;
    };
    if (settled) {
      const result = await finish(settled, false);
      if (result?.followUp) await followUp(action, ctx);
      return ok(result ? cardResponse(result, form) : {});
    }
    ctx.log.info({ eventId: action.eventId, deadlineMs: cardDeadlineMs }, 'card action past deadline; answering now, updating later');
    work.defer(
      running.then(async (late) => {
        const result = await finish(late, true);
        if (result?.followUp) await followUp(action, ctx);
        if (!result?.card) return;
        await ctx.responded;
        if (action.updateToken) await deps.messenger.updateByToken(action.updateToken, result.card);
        else if (action.openMessageId) await deps.messenger.update(action.openMessageId, result.card);
      }),
    );
    return ok();
  }

  /** A verified schema-2.0 event or callback, by type. */
  async function takeEvent(envelope: V2Envelope, ctx: DeliveryContext): Promise<IntakeResult> {
    const { event_id: eventId, event_type: type } = envelope.header;
    if (type === MESSAGE) return message(eventId, envelope.event, ctx);
    if (type === CARD) {
      const parsed = CardActionEvent.safeParse(envelope.event);
      if (!parsed.success) return { status: 400, reason: 'bad_event', message: `malformed ${CARD} event` };
      return cardAction(toCardAction(eventId, parsed.data), 'v2', ctx);
    }
    const toEntry = Object.hasOwn(ENTRY_EVENTS, type) ? ENTRY_EVENTS[type] : undefined;
    if (toEntry) {
      const found = toEntry(eventId, envelope.event);
      if (!found) return { status: 400, reason: 'bad_event', message: `malformed ${type} event` };
      return entry(type, found, ctx);
    }
    metrics.eventsReceived.inc({ type: 'unsupported' });
    if (debugEnabled()) ctx.log.debug({ eventId, eventType: type }, 'unsupported event ignored');
    return ok();
  }

  /** A delivery counts as in flight until answered: a burst of this process's intake holds its jobs back. */
  async function inFlight(take: () => Promise<IntakeResult>): Promise<IntakeResult> {
    const answered = deps.pressure?.note();
    try {
      return await take();
    } finally {
      answered?.();
    }
  }

  return {
    /** A verified schema-2.0 event or callback; unsupported types are acknowledged and counted. */
    event: (envelope: V2Envelope, ctx: DeliveryContext): Promise<IntakeResult> => inFlight(() => takeEvent(envelope, ctx)),
    /** A verified legacy message-card callback. */
    legacyCard: (eventId: string, callback: LegacyCardCallback, ctx: DeliveryContext): Promise<IntakeResult> =>
      inFlight(() => cardAction(legacyCardAction(eventId, callback), 'legacy', ctx)),
  };
}

export type Intake = ReturnType<typeof createIntake>;
