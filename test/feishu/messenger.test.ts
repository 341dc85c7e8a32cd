import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../src/feishu/card.js';
import { feishuUuid } from '../../src/feishu/messenger.js';
import { installFeishuMock, testAppId } from '../support/feishu-mock.js';
import { closeInstances, gaps, instance } from './helpers.js';

const mock = installFeishuMock();
afterEach(closeInstances);

const SEND_PATH = '/open-apis/im/v1/messages';

function card(text: string): Card {
  return { schema: '2.0', header: { title: { tag: 'plain_text', content: 'Leave' } }, body: { elements: [{ tag: 'markdown', content: text }] } };
}

describe('messenger', () => {
  it('send posts an interactive card to an open_id with the uuid', async () => {
    const { client } = instance(mock, testAppId());
    const c = card('hello');
    const { messageId } = await client.messenger.send({ openId: 'ou_1' }, c, { uuid: 'evt-1' });
    const [call] = mock.callsTo(SEND_PATH);
    expect(call?.method).toBe('POST');
    expect(call?.path).toBe(SEND_PATH);
    expect(call?.query.get('receive_id_type')).toBe('open_id');
    expect(call?.body).toEqual({ receive_id: 'ou_1', msg_type: 'interactive', content: JSON.stringify(c), uuid: 'evt-1' });
    expect(mock.sent).toEqual([expect.objectContaining({ messageId, receiveId: 'ou_1', uuid: 'evt-1' })]);
  });

  it('send to a chat uses receive_id_type=chat_id', async () => {
    const { client } = instance(mock, testAppId());
    await client.messenger.send({ chatId: 'oc_9' }, card('hi'), { uuid: 'evt-2' });
    expect(mock.callsTo(SEND_PATH)[0]?.query.get('receive_id_type')).toBe('chat_id');
    expect(mock.sent[0]).toMatchObject({ receiveIdType: 'chat_id', receiveId: 'oc_9' });
  });

  it('the same uuid twice yields one message (Feishu dedupes)', async () => {
    const { client } = instance(mock, testAppId());
    const first = await client.messenger.send({ openId: 'ou_1' }, card('a'), { uuid: 'same' });
    const second = await client.messenger.send({ openId: 'ou_1' }, card('a'), { uuid: 'same' });
    expect(second.messageId).toBe(first.messageId);
    expect(mock.sent).toHaveLength(1);
  });

  it('reply posts to /messages/:id/reply', async () => {
    const { client } = instance(mock, testAppId());
    const c = card('reply');
    const { messageId } = await client.messenger.reply('om_src', c, { uuid: 'r-1', chatId: 'oc_1' });
    const [call] = mock.callsTo('/open-apis/im/v1/messages/om_src/reply');
    expect(call?.body).toEqual({ msg_type: 'interactive', content: JSON.stringify(c), uuid: 'r-1' });
    expect(mock.sent[0]).toMatchObject({ messageId, replyTo: 'om_src' });
  });

  it('update PATCHes the message with the card as a content string', async () => {
    const { client } = instance(mock, testAppId());
    const c = card('updated');
    await client.messenger.update('om_5', c);
    const [call] = mock.callsTo('/open-apis/im/v1/messages/om_5');
    expect(call?.method).toBe('PATCH');
    expect(call?.body).toEqual({ content: JSON.stringify(c) });
  });

  it('updateByToken posts { token, card } to the delayed-update API', async () => {
    const { client } = instance(mock, testAppId());
    const c = card('later');
    await client.messenger.updateByToken('c-token', c);
    const [call] = mock.callsTo('/open-apis/interactive/v1/card/update');
    expect(call?.method).toBe('POST');
    expect(call?.body).toEqual({ token: 'c-token', card: c });
  });

  it('keeps 5/s towards one user across 7 sends', async () => {
    const { client } = instance(mock, testAppId());
    await Promise.all(
      Array.from({ length: 7 }, (_, i) => client.messenger.send({ openId: 'ou_busy' }, card(`n${i}`), { uuid: `busy-${i}` })),
    );
    const at = mock.callsTo(SEND_PATH).map((c) => c.at).sort((a, b) => a - b);
    expect(at).toHaveLength(7);
    for (const gap of gaps(at)) expect(gap).toBeGreaterThanOrEqual(190);
    // Any 1 s window holds at most 5.
    for (let i = 0; i + 5 < at.length; i++) expect((at[i + 5] ?? 0) - (at[i] ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('different users are not held back by each other’s 5/s', async () => {
    const { client } = instance(mock, testAppId());
    await client.token.get();
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, (_, i) => client.messenger.send({ openId: `ou_${i}` }, card('x'), { uuid: `u-${i}` })));
    expect(Date.now() - started).toBeLessThan(600);
  });

  it('refuses a card over 30 KB before any call', async () => {
    const { client } = instance(mock, testAppId());
    const big = card('x'.repeat(31 * 1024));
    await expect(client.messenger.send({ openId: 'ou_1' }, big, { uuid: 'big' })).rejects.toThrow(/30720 bytes/);
    await expect(client.messenger.update('om_1', big)).rejects.toThrow(/bytes/);
    await expect(client.messenger.updateByToken('t', big)).rejects.toThrow(/bytes/);
    expect(mock.calls).toHaveLength(0);
  });

  it('hashes a uuid longer than 50 chars, deterministically', async () => {
    const long = `event:${'a'.repeat(80)}`;
    expect(feishuUuid('short')).toBe('short');
    expect(feishuUuid(long).length).toBeLessThanOrEqual(50);
    expect(feishuUuid(long)).toBe(feishuUuid(long));
    expect(feishuUuid(long)).not.toBe(feishuUuid(`${long}b`));

    const { client } = instance(mock, testAppId());
    await client.messenger.send({ openId: 'ou_1' }, card('x'), { uuid: long });
    expect(mock.sent[0]?.uuid).toBe(feishuUuid(long));
  });
});
