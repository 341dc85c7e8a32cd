import type { Card } from '../feishu/card.js';
import type { Messenger } from '../feishu/types.js';
import type { StoreKeys } from '../store/keys.js';
import type { Store } from '../store/types.js';

/** Feishu lets a bot update its own messages for 14 days; the owner record lives as long. */
export const OWNER_TTL_MS = 14 * 24 * 3600_000;

/**
 * The delivery rule for HR data: it goes only to its owner, sent by open_id. A card holding
 * HR data is updated in place only when the bot sent that very message to that same person
 * (remembered here at send time, by message id). Nothing an event says about a chat or a
 * message decides where data goes.
 */
export interface OwnerDelivery {
  /** Sends `card` to `openId` by open_id and remembers who the message went to; resolves with the message id. */
  sendToOwner(openId: string, card: Card, uuid: string): Promise<string>;
  /**
   * Updates `messageId` with `card` when the bot sent that message to `openId`; otherwise
   * sends a new message to `openId`. Either way the data reaches only its owner.
   */
  updateOrSend(messageId: string | undefined, openId: string, card: Card, uuid: string): Promise<'updated' | 'sent'>;
  /** Updates `messageId` with `card` only when the bot sent that message to `openId`; false (nothing sent) otherwise. */
  updateOwn(messageId: string, openId: string, card: Card): Promise<boolean>;
}

/**
 * @example
 * const delivery = createOwnerDelivery({ store, keys, messenger })
 * await delivery.sendToOwner('ou_alice', payslip, `${messageId}-p`)
 */
export function createOwnerDelivery(deps: { store: Store; keys: StoreKeys; messenger: Messenger }): OwnerDelivery {
  const { store, keys, messenger } = deps;

  async function sendToOwner(openId: string, card: Card, uuid: string): Promise<string> {
    const sent = await messenger.send({ openId }, card, { uuid });
    await store.set(keys.sentTo(sent.messageId), openId, { ttlMs: OWNER_TTL_MS });
    return sent.messageId;
  }

  async function ownedBy(messageId: string, openId: string): Promise<boolean> {
    return (await store.get(keys.sentTo(messageId))) === openId;
  }

  async function updateOwn(messageId: string, openId: string, card: Card): Promise<boolean> {
    if (!(await ownedBy(messageId, openId))) return false;
    await messenger.update(messageId, card);
    return true;
  }

  return {
    sendToOwner,
    updateOwn,
    async updateOrSend(messageId, openId, card, uuid) {
      if (messageId && (await updateOwn(messageId, openId, card))) return 'updated';
      await sendToOwner(openId, card, uuid);
      return 'sent';
    },
  };
}
