import type { Card } from '../feishu/card.js';
import type { AccrualJob } from '../jobs/types.js';

/**
 * A verified, de-duplicated `im.message.receive_v1`, stripped to what the bot uses.
 * Produced by the HTTP receiver (or the long connection), consumed by the bot.
 */
export interface IncomingMessage {
  eventId: string;
  messageId: string;
  chatId: string;
  chatType: 'p2p' | 'group' | string;
  messageType: string;
  /** Raw `message.content` JSON string (for text: `{"text":"…"}`). Never logged. */
  content: string;
  senderOpenId: string;
  senderType: string;
  mentions: Array<{ key: string; openId?: string; name?: string }>;
  /** ms since epoch, from `message.create_time`. */
  createTime: number;
}

/**
 * A verified card button click (`card.action.trigger` v2 or the legacy v1 callback).
 */
export interface IncomingCardAction {
  /** v2 header.event_id; for legacy callbacks a hash of the request. */
  eventId: string;
  operatorOpenId: string;
  /** The button's callback value (always an object; string values are wrapped as `{ value }`). */
  value: Record<string, unknown>;
  formValue?: Record<string, unknown>;
  openMessageId?: string;
  openChatId?: string;
  /** Card-update token (30 min, 2 uses) for a delayed update after the callback is answered. */
  updateToken?: string;
}

/**
 * A way in that is neither a message nor a card: a bot-menu click (`application.bot.menu_v6`)
 * or a person opening the bot's private chat (`im.chat.access_event.bot_p2p_chat_entered_v1`).
 * Both carry only the person; every answer goes to them by open_id.
 */
export interface IncomingEntry {
  /** v2 header.event_id (dedupe, send uuids). */
  eventId: string;
  kind: 'menu' | 'p2pEntered';
  operatorOpenId: string;
  /** Menu clicks: the item's `event_key` from the console (see `MENU_ITEMS` in the intent registry). */
  eventKey?: string;
}

/**
 * What a card callback answers with: a toast, a replacement card, both or neither. Never
 * HR data (the delivery rule): when `followUp` is true the receiver afterwards runs
 * `onCardFollowUp(action)` as deferred, durable work, which sends the data by open_id.
 */
export interface CardActionResult {
  toast?: { type: 'info' | 'success' | 'error' | 'warning'; content: string };
  card?: Card;
  followUp?: boolean;
}

/**
 * What the receiver hands verified events to. `onMessage` runs as deferred work after
 * the 200 ack; `onCardAction` is awaited up to the callback deadline (see the receiver);
 * `onCardFollowUp` runs as deferred work after a callback answered with `followUp: true`.
 * Both deferred kinds must be safe to run again (sends carry deterministic uuids).
 */
export interface EventSink {
  onMessage(msg: IncomingMessage): Promise<void>;
  onCardAction(action: IncomingCardAction): Promise<CardActionResult>;
  /** Deferred work a card click asked for (`followUp`); runs as a queued job of its own kind. */
  onCardFollowUp(action: IncomingCardAction): Promise<void>;
  /** A menu click or a first visit, as deferred work after the ack; answers by open_id. */
  onEntry?(entry: IncomingEntry): Promise<void>;
  /**
   * The message's job failed for good (retries exhausted, or a fault no retry fixes):
   * tell the person by open_id that their question could not be answered. `code` is a
   * safe error code (e.g. `feishu:payroll.paymentDetail:500`), for logs only.
   */
  onGiveUp?(msg: IncomingMessage, code: string): Promise<void>;
  /** A queued step of the HR flow (nudge, expiry, write); re-checks the stored request, safe to run again. */
  onAccrualJob?(job: AccrualJob): Promise<void>;
  /** That step failed for good: a write is recorded as failed so approvers can retry it. */
  onAccrualGiveUp?(job: AccrualJob, code: string): Promise<void>;
}
