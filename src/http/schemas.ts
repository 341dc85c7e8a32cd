import { z } from 'zod';

/**
 * The shapes Feishu sends us (feishu-platform.md §1–§3). Objects strip unknown keys, so
 * nothing unexpected (`__proto__`, extra fields) travels past the receiver.
 */

const id = z.string().min(1).max(256);
const optionalId = z.string().max(256).optional();

/** `{"challenge","token","type":"url_verification"}` sent when the URL is saved. */
export const UrlVerification = z.object({
  type: z.literal('url_verification'),
  challenge: z.string().min(1).max(1024),
  token: z.string(),
});

/** `{"encrypt":"<base64>"}` when an Encrypt Key is configured. */
export const EncryptedBody = z.object({ encrypt: z.string().min(1) });

/** Schema 2.0 envelope: everything common to events and v2 card callbacks. */
export const V2Envelope = z.object({
  schema: z.literal('2.0'),
  header: z.object({
    event_id: id,
    event_type: id,
    token: z.string(),
    create_time: z.string().max(32).optional(),
    app_id: optionalId,
    tenant_key: optionalId,
  }),
  event: z.unknown(),
});
export type V2Envelope = z.output<typeof V2Envelope>;

/** Old-style `event_callback` events: verified (top-level token) and then ignored. */
export const V1Envelope = z.object({
  type: z.literal('event_callback'),
  uuid: id,
  token: z.string(),
  event: z.object({ type: z.string().max(256) }),
});

/**
 * Feishu sends every message's `content` as a JSON object in a string (`{"text":"…"}` for
 * text), so anything else is a forged or broken event: refused before the bot sees it.
 */
function contentProblem(messageType: string, content: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return 'content is not JSON';
  }
  if (!isJsonObject(value)) return 'content is not a JSON object';
  if (messageType === 'text' && typeof value.text !== 'string') return 'text content has no "text" string';
  return undefined;
}

/** `im.message.receive_v1` → `event`. */
export const MessageReceiveEvent = z.object({
  sender: z.object({
    sender_id: z.object({ open_id: optionalId, union_id: optionalId, user_id: optionalId }).optional(),
    sender_type: z.string().max(64),
    tenant_key: optionalId,
  }),
  message: z.object({
    message_id: id,
    root_id: optionalId,
    parent_id: optionalId,
    create_time: z.string().max(32).optional(),
    chat_id: id,
    chat_type: z.string().max(64),
    message_type: z.string().max(64),
    content: z.string(),
    mentions: z
      .array(
        z.object({
          key: z.string().max(64),
          id: z.object({ open_id: optionalId }).optional(),
          name: z.string().max(512).optional(),
        }),
      )
      .max(100)
      .optional(),
  }).superRefine((message, ctx) => {
    const problem = contentProblem(message.message_type, message.content);
    if (problem) ctx.addIssue({ code: 'custom', path: ['content'], message: problem });
  }),
});
export type MessageReceiveEvent = z.output<typeof MessageReceiveEvent>;

const record = z.record(z.string(), z.unknown());

/** A button's `action`, shared by v2 and legacy callbacks. */
const CardAction = z.object({
  value: z.union([record, z.string()]).optional(),
  tag: z.string().max(64).optional(),
  name: z.string().max(256).optional(),
  form_value: record.optional(),
  option: z.string().max(1024).optional(),
  timezone: z.string().max(64).optional(),
});

/** `card.action.trigger` (schema 2.0) → `event`. */
export const CardActionEvent = z.object({
  operator: z.object({ open_id: id, user_id: optionalId, union_id: optionalId, tenant_key: optionalId }),
  /** Card-update token for a delayed update (30 min, 2 uses). */
  token: z.string().max(512).optional(),
  action: CardAction,
  host: z.string().max(64).optional(),
  context: z.object({ open_message_id: optionalId, open_chat_id: optionalId }).optional(),
});
export type CardActionEvent = z.output<typeof CardActionEvent>;

/** A person's ids as events carry them (`open_id` always; the others depend on scopes). */
const OperatorId = z.object({ open_id: id, union_id: optionalId, user_id: optionalId });

/** `application.bot.menu_v6` → `event`: a click on a bot menu item of type "push event". */
export const BotMenuEvent = z.object({
  operator: z.object({ operator_name: z.string().max(256).optional(), operator_id: OperatorId }),
  /** The key configured for the menu item in the developer console (1–30 characters). */
  event_key: z.string().min(1).max(30),
  /** Click time: a string in the event document, a number in the SDK's typing. */
  timestamp: z.union([z.string().max(32), z.number()]).optional(),
});
export type BotMenuEvent = z.output<typeof BotMenuEvent>;

/** `im.chat.access_event.bot_p2p_chat_entered_v1` → `event`: a person opened the bot's private chat. */
export const BotP2pChatEnteredEvent = z.object({
  chat_id: optionalId,
  operator_id: OperatorId,
  last_message_id: optionalId,
  last_message_create_time: z.string().max(32).optional(),
});
export type BotP2pChatEnteredEvent = z.output<typeof BotP2pChatEnteredEvent>;

/** Legacy message-card callback (`card.action.trigger_v1`): everything at the top level. */
export const LegacyCardCallback = z.object({
  open_id: id,
  user_id: optionalId,
  tenant_key: optionalId,
  open_message_id: id,
  open_chat_id: optionalId,
  /** The card-update token, not the verification token. */
  token: z.string().max(512).optional(),
  action: CardAction,
});
export type LegacyCardCallback = z.output<typeof LegacyCardCallback>;

/** True for plain JSON objects (not arrays, null or primitives). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
