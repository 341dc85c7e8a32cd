/**
 * Builders for what Feishu pushes to the webhook: events, callbacks, challenges, and the
 * signed / encrypted requests that carry them (feishu-platform.md §1–§3).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { encryptEnvelope, eventSignature, legacyCardSignature } from '../../src/http/crypto.js';

export const VERIFICATION_TOKEN = 'vt_test_verification_token';
export const ENCRYPT_KEY = 'ek_test_encrypt_key_0123456789';

export function challenge(token = VERIFICATION_TOKEN, value = 'ch-' + randomUUID()) {
  return { challenge: value, token, type: 'url_verification' };
}

export interface MessageEventOptions {
  eventId?: string;
  messageId?: string;
  text?: string;
  chatType?: 'p2p' | 'group';
  senderType?: string;
  openId?: string;
  chatId?: string;
  token?: string;
}

/** An `im.message.receive_v1` push (schema 2.0). */
export function messageEvent(o: MessageEventOptions = {}) {
  const messageId = o.messageId ?? `om_${randomBytes(8).toString('hex')}`;
  return {
    schema: '2.0',
    header: {
      event_id: o.eventId ?? `ev_${randomBytes(8).toString('hex')}`,
      event_type: 'im.message.receive_v1',
      create_time: String(Date.now()),
      token: o.token ?? VERIFICATION_TOKEN,
      app_id: 'cli_test',
      tenant_key: 'tk_test',
    },
    event: {
      sender: {
        sender_id: { open_id: o.openId ?? 'ou_employee_1', union_id: 'on_1', user_id: 'u1' },
        sender_type: o.senderType ?? 'user',
        tenant_key: 'tk_test',
      },
      message: {
        message_id: messageId,
        create_time: String(Date.now()),
        chat_id: o.chatId ?? 'oc_p2p_1',
        chat_type: o.chatType ?? 'p2p',
        message_type: 'text',
        content: JSON.stringify({ text: o.text ?? 'help' }),
      },
    },
  };
}

export interface CardEventOptions {
  eventId?: string;
  token?: string;
  updateToken?: string | null;
  openMessageId?: string;
  openChatId?: string;
  operatorOpenId?: string;
  value?: Record<string, unknown> | string;
}

/** A `card.action.trigger` callback (schema 2.0). */
export function cardEvent(o: CardEventOptions = {}) {
  return {
    schema: '2.0',
    header: {
      event_id: o.eventId ?? `ev_${randomBytes(8).toString('hex')}`,
      event_type: 'card.action.trigger',
      create_time: String(Date.now() * 1000),
      token: o.token ?? VERIFICATION_TOKEN,
      app_id: 'cli_test',
      tenant_key: 'tk_test',
    },
    event: {
      operator: { open_id: o.operatorOpenId ?? 'ou_approver_1', tenant_key: 'tk_test' },
      ...(o.updateToken === null ? {} : { token: o.updateToken ?? 'c-update-token-1' }),
      action: { tag: 'button', value: o.value ?? { action: 'noop' } },
      host: 'im_message',
      context: { open_message_id: o.openMessageId ?? 'om_card_1', open_chat_id: o.openChatId ?? 'oc_p2p_1' },
    },
  };
}

/** A legacy message-card callback (top-level fields, card-update token). */
export function legacyCardCallback(value: Record<string, unknown> = { action: 'noop' }) {
  return {
    open_id: 'ou_approver_1',
    user_id: 'u2',
    tenant_key: 'tk_test',
    open_message_id: 'om_card_legacy',
    open_chat_id: 'oc_p2p_1',
    token: 'c-legacy-update-token',
    action: { tag: 'button', value },
  };
}

export interface SignOptions {
  encryptKey?: string;
  /** Wrap the JSON in `{"encrypt": …}` (needs `encryptKey`). */
  encrypt?: boolean;
  /** Seconds since epoch; default now. */
  timestamp?: string;
  nonce?: string;
  /** Sign with the legacy SHA-1 scheme and this verification token instead. */
  legacyToken?: string;
  /** Omit the signature headers. */
  unsigned?: boolean;
  headers?: Record<string, string>;
}

/** A POST init as Feishu would send it: body text plus `X-Lark-*` headers. */
export function feishuRequest(payload: unknown, o: SignOptions = {}): RequestInit & { body: string; headers: Record<string, string> } {
  let body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  if (o.encrypt) {
    if (!o.encryptKey) throw new Error('encrypt needs encryptKey');
    body = JSON.stringify({ encrypt: encryptEnvelope(body, o.encryptKey) });
  }
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...o.headers };
  const timestamp = o.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? randomBytes(8).toString('hex');
  const raw = Buffer.from(body, 'utf8');
  if (!o.unsigned && (o.encryptKey || o.legacyToken)) {
    headers['x-lark-request-timestamp'] = timestamp;
    headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] = o.legacyToken
      ? legacyCardSignature(timestamp, nonce, o.legacyToken, raw)
      : eventSignature(timestamp, nonce, o.encryptKey!, raw);
  }
  return { method: 'POST', headers, body };
}
