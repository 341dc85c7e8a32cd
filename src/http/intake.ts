import type { CardActionResult, EventSink, IncomingCardAction, IncomingMessage } from '../bot/events.js';
import { FeishuApiError, RateLimitTimeoutError, type Messenger } from '../feishu/types.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { StoreKeys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { createDeduper } from './dedupe.js';
import type { DeferredWork } from './deferred.js';
import { errorSummary } from '../log.js';
import {
  CardActionEvent,
  type LegacyCardCallback,
  MessageReceiveEvent,
  type V2Envelope,
} from './schemas.js';

/** Feishu waits 3 s for a card callback; keep half a second for the network and our own work. */
export const DEFAULT_CARD_DEADLINE_MS = 2500;

export interface IntakeDeps {
  store: Store;
  keys: StoreKeys;
  sink: EventSink;
  messenger: Messenger;
  logger: Logger;
  metrics: Metrics;
  work: DeferredWork;
  /** How long a card callback waits for the bot before answering `{}` and updating later. */
  cardDeadlineMs?: number;
  /** Pauses before re-running a message handler that failed on a passing upstream fault. */
  retryDelaysMs?: readonly number[];
}

/**
 * Feishu does not redeliver a message we acknowledged, so a handler that failed on a
 * passing fault (Feishu busy or down after the client's own retries) is run again here,
 * twice, before the delivery is given up. Sends carry the same uuid, so nothing doubles.
 */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [5_000, 20_000];

function isPassingFault(err: unknown): boolean {
  return (err instanceof FeishuApiError && err.transient) || err instanceof RateLimitTimeoutError;
}

/** Per-delivery context supplied by the receiver (HTTP or long connection). */
export interface DeliveryContext {
  log: Logger;
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
/** Lets the ack leave before the handler's first synchronous slice runs. */
const afterAck = () => new Promise<void>((resolve) => setImmediate(resolve));

function toMessage(eventId: string, e: MessageReceiveEvent): IncomingMessage {
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
 * The path every verified delivery takes, whatever the receiver: dedupe in the shared store,
 * ack, then the bot as deferred work. Messages dedupe on `message_id`, callbacks on `event_id`.
 *
 * @example
 * const intake = createIntake({ store, keys, sink, messenger, logger, metrics, work })
 * const result = await intake.event(envelope, { log, responded })
 */
export function createIntake(deps: IntakeDeps) {
  const { keys, sink, metrics, work } = deps;
  const dedupe = createDeduper(deps.store);
  const cardDeadlineMs = deps.cardDeadlineMs ?? DEFAULT_CARD_DEADLINE_MS;
  const retryDelaysMs = deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  // Bound once: prom-client hashes a label set on every inc(), and messages are the hot path.
  const messageReceived = metrics.eventsReceived.labels({ type: MESSAGE });
  const messageHandled = metrics.handlerOutcomes.labels({ type: MESSAGE, outcome: 'ok' });
  // Messages are the hot path: skip building a per-request child logger when nobody reads it.
  const infoEnabled = () => deps.logger.isLevelEnabled('info');

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
    const key = keys.eventDedupe(msg.messageId);
    if (!(await dedupe.claim(key))) {
      metrics.duplicatesDropped.inc({ type: MESSAGE });
      if (infoEnabled()) ctx.log.info({ eventId, eventType: MESSAGE, outcome: 'duplicate' }, 'event');
      return ok();
    }
    const started = Date.now();
    const handle = async (): Promise<void> => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await sink.onMessage(msg);
        } catch (err) {
          const pause = retryDelaysMs[attempt];
          if (pause === undefined || !isPassingFault(err)) throw err;
          ctx.log.warn({ eventId, eventType: MESSAGE, attempt: attempt + 1, err: errorSummary(err) }, 'handler failed; retrying');
          await new Promise((resolve) => setTimeout(resolve, pause));
        }
      }
    };
    work.defer(
      afterAck()
        .then(handle)
        .then(
          async () => {
            messageHandled.inc();
            await dedupe.done(key);
            if (infoEnabled()) {
              ctx.log.info({ eventId, eventType: MESSAGE, outcome: 'handled', ms: Date.now() - started }, 'event');
            }
          },
          async (err: unknown) => {
            metrics.handlerOutcomes.inc({ type: MESSAGE, outcome: 'failed' });
            ctx.log.error({ eventId, messageId: msg.messageId, err: errorSummary(err) }, 'message handler failed');
            await dedupe.release(key);
          },
        ),
    );
    return ok();
  }

  /**
   * The sensitive part of a click (data sent by open_id) runs after the answer has left,
   * as deferred work like a message.
   */
  function followUp(action: IncomingCardAction, ctx: DeliveryContext): void {
    work.defer(
      ctx.responded.then(() => sink.onCardFollowUp(action)).catch((err: unknown) => {
        metrics.handlerOutcomes.inc({ type: CARD, outcome: 'follow_up_failed' });
        ctx.log.error({ eventId: action.eventId, err: errorSummary(err) }, 'card follow-up failed');
      }),
    );
  }

  /**
   * Waits up to the deadline for the bot's answer; past it, answers `{}` and delivers the card
   * later through the update token (or a PATCH of the message) once the answer has left.
   */
  async function cardAction(action: IncomingCardAction, form: CardForm, ctx: DeliveryContext): Promise<IntakeResult> {
    metrics.eventsReceived.inc({ type: CARD });
    const key = keys.cardAction(action.eventId);
    // Callbacks are never retried, so a second copy is a replay: acknowledge and do nothing.
    if (!(await dedupe.claim(key))) {
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
      await dedupe.release(key);
      return undefined;
    };
    if (settled) {
      const result = await finish(settled, false);
      if (result?.followUp) followUp(action, ctx);
      return ok(result ? cardResponse(result, form) : {});
    }
    ctx.log.info({ eventId: action.eventId, deadlineMs: cardDeadlineMs }, 'card action past deadline; answering now, updating later');
    work.defer(
      running.then(async (late) => {
        const result = await finish(late, true);
        if (result?.followUp) followUp(action, ctx);
        if (!result?.card) return;
        await ctx.responded;
        if (action.updateToken) await deps.messenger.updateByToken(action.updateToken, result.card);
        else if (action.openMessageId) await deps.messenger.update(action.openMessageId, result.card);
      }),
    );
    return ok();
  }

  return {
    /** A verified schema-2.0 event or callback; unsupported types are acknowledged and counted. */
    async event(envelope: V2Envelope, ctx: DeliveryContext): Promise<IntakeResult> {
      const { event_id: eventId, event_type: type } = envelope.header;
      if (type === MESSAGE) return message(eventId, envelope.event, ctx);
      if (type === CARD) {
        const parsed = CardActionEvent.safeParse(envelope.event);
        if (!parsed.success) return { status: 400, reason: 'bad_event', message: `malformed ${CARD} event` };
        return cardAction(toCardAction(eventId, parsed.data), 'v2', ctx);
      }
      metrics.eventsReceived.inc({ type: 'unsupported' });
      ctx.log.debug({ eventId, eventType: type }, 'unsupported event ignored');
      return ok();
    },
    /** A verified legacy message-card callback. */
    legacyCard(eventId: string, callback: LegacyCardCallback, ctx: DeliveryContext): Promise<IntakeResult> {
      return cardAction(legacyCardAction(eventId, callback), 'legacy', ctx);
    },
  };
}

export type Intake = ReturnType<typeof createIntake>;
