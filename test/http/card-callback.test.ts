import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/feishu/card.js';
import type { CardActionResult } from '../../src/bot/events.js';
import { ENCRYPT_KEY, VERIFICATION_TOKEN, cardEvent, feishuRequest, legacyCardCallback } from '../support/feishu-events.js';
import { buildTestApp, installFeishuMockForServer, listenLocally, recordingSink } from '../support/webhook-app.js';

const mock = installFeishuMockForServer();

const card: Card = {
  schema: '2.0',
  header: { title: { tag: 'plain_text', content: 'Approved' } },
  body: { elements: [{ tag: 'markdown', content: 'done' }] },
};
const result: CardActionResult = { toast: { type: 'success', content: 'ok' }, card };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('card callbacks', () => {
  it('returns the card in the response when the handler is fast (v2 form)', async () => {
    const rec = recordingSink({ onCardAction: async () => result });
    const { app } = await buildTestApp({ mock, encryptKey: ENCRYPT_KEY, sink: rec.sink });
    const res = await app.request('/webhook/card', feishuRequest(cardEvent(), { encryptKey: ENCRYPT_KEY, encrypt: true }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ toast: result.toast, card: { type: 'raw', data: card } });
    expect(mock.updates).toHaveLength(0);
  });

  it('runs the follow-up as deferred work after a followUp answer, and never puts followUp in the body', async () => {
    const toast = { type: 'success' as const, content: 'on its way' };
    const rec = recordingSink({ onCardAction: async () => ({ toast, followUp: true }) });
    const { app, drain } = await buildTestApp({ mock, encryptKey: ENCRYPT_KEY, sink: rec.sink });
    const res = await app.request('/webhook/card', feishuRequest(cardEvent({ eventId: 'ev_follow_1' }), { encryptKey: ENCRYPT_KEY, encrypt: true }));
    expect(await res.json()).toEqual({ toast });
    await drain();
    expect(rec.followUps.map((a) => a.eventId)).toEqual(['ev_follow_1']);
  });

  it('still runs the follow-up when the answer came too late for the response', async () => {
    const rec = recordingSink({ onCardAction: async () => (await sleep(150), { toast: { type: 'success' as const, content: 'late' }, followUp: true }) });
    const { app, drain } = await buildTestApp({ mock, sink: rec.sink, cardDeadlineMs: 20 });
    const res = await app.request('/webhook/card', feishuRequest(cardEvent({ eventId: 'ev_follow_late' })));
    expect(await res.json()).toEqual({});
    await drain();
    expect(rec.followUps.map((a) => a.eventId)).toEqual(['ev_follow_late']);
    expect(mock.updates).toHaveLength(0);
  });

  it('answers a legacy callback in the legacy top-level form', async () => {
    const rec = recordingSink({ onCardAction: async () => result });
    const { app } = await buildTestApp({ mock, sink: rec.sink, env: { FEISHU_LEGACY_CARD_CALLBACKS: 'true' } });
    const res = await app.request('/webhook/card', feishuRequest(legacyCardCallback(), { legacyToken: VERIFICATION_TOKEN }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ toast: result.toast, ...card });
  });

  it('answers {} within the budget when the handler is slow, then updates the card by token after the answer', async () => {
    // The handler is held until the answer has arrived: the answer cannot have waited for it.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let handlerDone = false;
    const rec = recordingSink({ onCardAction: async () => (await held, (handlerDone = true), result) });
    const { app, drain } = await buildTestApp({ mock, sink: rec.sink, cardDeadlineMs: 100 });
    const server = await listenLocally(app.fetch);
    try {
      const res = await fetch(`${server.url}/webhook/card`, feishuRequest(cardEvent({ updateToken: 'c-tok-9' })));
      const answeredAt = Date.now();
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({});
      expect(handlerDone).toBe(false);
      release();
      await drain();
      expect(mock.updates).toEqual([{ kind: 'token', token: 'c-tok-9', card }]);
      const update = mock.callsTo('/open-apis/interactive/v1/card/update')[0]!;
      expect(update.at).toBeGreaterThanOrEqual(answeredAt - 5);
    } finally {
      await server.close();
    }
  });

  it('falls back to PATCHing the message when the callback carried no update token', async () => {
    const rec = recordingSink({ onCardAction: async () => (await sleep(150), result) });
    const { app, drain } = await buildTestApp({ mock, sink: rec.sink, cardDeadlineMs: 20 });
    const res = await app.request('/webhook/card', feishuRequest(cardEvent({ updateToken: null, openMessageId: 'om_card_7' })));
    expect(await res.json()).toEqual({});
    await drain();
    expect(mock.updates).toHaveLength(1);
    expect(mock.updates[0]).toMatchObject({ kind: 'patch', messageId: 'om_card_7' });
  });

  it('runs a replayed callback (same event_id) once and answers the copy with {}', async () => {
    const rec = recordingSink({ onCardAction: async () => result });
    const { app } = await buildTestApp({ mock, sink: rec.sink });
    const event = cardEvent();
    const [a, b] = await Promise.all([
      app.request('/webhook/card', feishuRequest(event)),
      app.request('/webhook/event', feishuRequest(event)),
    ]);
    const bodies = [await a.json(), await b.json()];
    expect(rec.actions).toHaveLength(1);
    expect(bodies).toContainEqual({});
    expect(bodies).toContainEqual({ toast: result.toast, card: { type: 'raw', data: card } });
  });

  it('answers {} when the handler fails, without an update, and lets a new click run', async () => {
    let calls = 0;
    const rec = recordingSink({
      onCardAction: async () => {
        calls += 1;
        throw new Error('boom');
      },
    });
    const { app, drain } = await buildTestApp({ mock, sink: rec.sink });
    const res = await app.request('/webhook/card', feishuRequest(cardEvent()));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    await app.request('/webhook/card', feishuRequest(cardEvent()));
    await drain();
    expect(calls).toBe(2);
    expect(mock.updates).toHaveLength(0);
  });

  it('refuses a card callback with a wrong token (401), no handler, no outbound call', async () => {
    const rec = recordingSink({ onCardAction: async () => result });
    const { app } = await buildTestApp({ mock, sink: rec.sink });
    const res = await app.request('/webhook/card', feishuRequest(cardEvent({ token: 'forged' })));
    expect(res.status).toBe(401);
    expect(rec.actions).toHaveLength(0);
    expect(mock.calls).toHaveLength(0);
  });
});
