import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CARD_MAX_BYTES, cardBytes, type Card } from './card.js';
import type { FeishuApi, Messenger, Recipient } from './types.js';
import { apiPath } from './apis.js';

/** Feishu accepts idempotency keys of at most 50 characters. */
export const MAX_UUID_LENGTH = 50;

const MessageAnswer = z.object({ message_id: z.string().min(1), chat_id: z.string().optional() });
// Update answers carry nothing we use; some come without `data` at all.
const Anything = z.unknown();

/**
 * Sends and updates Card JSON 2.0 cards through `api`, so every message passes the
 * shared limiter (app 50/s & 1000/min, 5/s per receiver, 5/s per patched message)
 * and the retry policy.
 *
 * @example
 * const messenger = createMessenger(feishu.api)
 * const { messageId } = await messenger.send({ openId: 'ou_1' }, card, { uuid: `evt:${eventId}` })
 * await messenger.update(messageId, doneCard)
 */
export function createMessenger(api: FeishuApi): Messenger {
  return {
    async send(to, card, opts) {
      const content = serialise(card);
      const [receiveIdType, receiveId] = receiver(to);
      const data = await api.call(
        'im.message.create',
        {
          method: 'POST',
          url: apiPath('im.message.create'),
          params: { receive_id_type: receiveIdType },
          data: { receive_id: receiveId, msg_type: 'interactive', content, uuid: feishuUuid(opts.uuid) },
        },
        MessageAnswer,
        { receiver: receiveId },
      );
      return { messageId: data.message_id, ...(data.chat_id ? { chatId: data.chat_id } : {}) };
    },

    async reply(messageId, card, opts) {
      const content = serialise(card);
      const data = await api.call(
        'im.message.reply',
        {
          method: 'POST',
          url: apiPath('im.message.reply', { message_id: messageId }),
          data: { msg_type: 'interactive', content, uuid: feishuUuid(opts.uuid) },
        },
        MessageAnswer,
        // The chat is the receiver; without it the replied-to message stands in for it.
        { receiver: opts.chatId ?? messageId },
      );
      return { messageId: data.message_id };
    },

    async update(messageId, card) {
      const content = serialise(card);
      await api.call(
        'im.message.patch',
        { method: 'PATCH', url: apiPath('im.message.patch', { message_id: messageId }), data: { content } },
        Anything,
        { messageId },
      );
    },

    async updateByToken(token, card) {
      serialise(card); // size check only: this API takes the card as an object
      await api.call(
        'interactive.card.update',
        { method: 'POST', url: apiPath('interactive.card.update'), data: { token, card } },
        Anything,
      );
    },
  };
}

/**
 * The idempotency key as Feishu accepts it: unchanged when ≤ 50 chars, else a
 * deterministic digest (`h:` + base64url SHA-256, 45 chars), so the same long key
 * still dedupes.
 *
 * @example feishuUuid('reply:om_123') // 'reply:om_123'
 */
export function feishuUuid(uuid: string): string {
  if (uuid.length === 0) throw new Error('message uuid must not be empty');
  if (uuid.length <= MAX_UUID_LENGTH) return uuid;
  return `h:${createHash('sha256').update(uuid).digest('base64url')}`;
}

/** The card as Feishu's `content` string; refuses cards Feishu would reject for size. */
function serialise(card: Card): string {
  const bytes = cardBytes(card);
  if (bytes > CARD_MAX_BYTES) {
    throw new Error(`card is ${bytes} bytes; Feishu accepts at most ${CARD_MAX_BYTES} bytes`);
  }
  return JSON.stringify(card);
}

function receiver(to: Recipient): ['open_id' | 'chat_id', string] {
  return 'openId' in to ? ['open_id', to.openId] : ['chat_id', to.chatId];
}
