import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventSink } from '../../src/bot/events.js';
import { FeishuApiError, type Messenger } from '../../src/feishu/types.js';
import type { Store } from '../../src/store/types.js';
import { ENCRYPT_KEY, feishuRequest, messageEvent } from '../support/feishu-events.js';
import { installFeishuMockForServer, buildTestApp, listenLocally, redisTestStore, recordingSink } from '../support/webhook-app.js';

const mock = installFeishuMockForServer();
const stores: Array<ReturnType<typeof redisTestStore>> = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.dispose()));
});

function redis(): Store {
  const store = redisTestStore();
  stores.push(store);
  return store;
}

/** What the bot promises the receiver: one reply per p2p text, uuid derived from the message. */
function replyingSink(messenger: () => Messenger): EventSink {
  return {
    async onMessage(msg) {
      await messenger().reply(msg.messageId, { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'hi' }] } }, { uuid: `r-${msg.messageId}`, chatId: msg.chatId });
    },
    async onCardAction() {
      return {};
    },
    async onCardFollowUp() {},
  };
}

const post = (app: { request: (p: string, i: RequestInit) => Response | Promise<Response> }, event: unknown) =>
  app.request('/webhook/event', feishuRequest(event, { encryptKey: ENCRYPT_KEY }));

async function scenarioDeliveredFiveTimes(build: () => Promise<{ app: Parameters<typeof post>[0]; drain: () => Promise<void> }>) {
  const { app, drain } = await build();
  const event = messageEvent({ text: 'help' });
  const first = await Promise.all([post(app, event), post(app, event), post(app, event)]);
  expect(first.map((r) => r.status)).toEqual([200, 200, 200]);
  await drain();
  const later = await Promise.all([post(app, event), post(app, event)]);
  expect(later.map((r) => r.status)).toEqual([200, 200]);
  await drain();
}

describe.each([
  ['the real bot', undefined],
  ['a minimal replying sink', 'sink'],
] as const)('exactly once with %s (Redis store)', (_name, kind) => {
  async function build() {
    const ref: { messenger?: Messenger } = {};
    const sink = kind === 'sink' ? replyingSink(() => ref.messenger!) : undefined;
    const built = await buildTestApp({ mock, encryptKey: ENCRYPT_KEY, store: redis(), sink });
    ref.messenger = built.feishu.messenger;
    return built;
  }

  it('3 concurrent and 2 later deliveries of one event send one reply', async () => {
    let built: Awaited<ReturnType<typeof build>> | undefined;
    await scenarioDeliveredFiveTimes(async () => (built = await build()));
    expect(mock.sent).toHaveLength(1);
    expect(mock.callsTo('/open-apis/im/v1/messages')).toHaveLength(1);
    const dropped = (await built!.metrics.duplicatesDropped.get()).values[0]?.value;
    expect(dropped).toBe(4);
  });

  it('a retry with a new event_id but the same message_id sends once', async () => {
    const { app, drain } = await build();
    const first = messageEvent({ messageId: 'om_same_message' });
    const retry = messageEvent({ messageId: 'om_same_message' });
    expect(retry.header.event_id).not.toBe(first.header.event_id);
    await post(app, first);
    await drain();
    await post(app, retry);
    await drain();
    expect(mock.sent).toHaveLength(1);
  });

  it('answers while Feishu is still busy with the reply, and the reply still arrives', async () => {
    // Feishu's reply endpoint is held until the ack has arrived: the ack cannot have waited for it.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    mock.use(
      http.post(`${mock.baseUrl}/open-apis/im/v1/messages/:id/reply`, async () => {
        await held;
        return undefined; // fall through to the default reply handler
      }),
    );
    const { app, drain } = await build();
    const server = await listenLocally(app.fetch);
    try {
      const res = await fetch(`${server.url}/webhook/event`, feishuRequest(messageEvent(), { encryptKey: ENCRYPT_KEY }));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({});
      expect(mock.sent).toHaveLength(0);
      release();
      await drain();
      expect(mock.sent).toHaveLength(1);
    } finally {
      await server.close();
    }
  }, 15_000);
});

describe('failures (Redis store)', () => {
  it('a handler failing for good tells the person once, and a later copy is still a duplicate', async () => {
    let attempts = 0;
    const gaveUp: string[] = [];
    const rec = recordingSink({
      onMessage: async () => {
        attempts += 1;
        throw new Error('HR system down');
      },
    });
    const sink = { ...rec.sink, onGiveUp: async (msg: { messageId: string }) => void gaveUp.push(msg.messageId) };
    const { app, drain, metrics } = await buildTestApp({ mock, encryptKey: ENCRYPT_KEY, store: redis(), sink });
    const event = messageEvent();
    await post(app, event);
    await drain();
    await post(app, event);
    await drain();
    // Not a passing fault: no retry; the person hears about it once.
    expect(attempts).toBe(1);
    expect(gaveUp).toEqual([event.event.message.message_id]);
    const outcomes = (await metrics.handlerOutcomes.get()).values.map((v) => [v.labels.outcome, v.value]);
    expect(outcomes).toEqual(expect.arrayContaining([['failed', 1], ['gave_up', 1]]));
  });

  it('a handler that fails on a passing Feishu fault is run again, with one send in the end', async () => {
    let failuresLeft = 2;
    const { app, drain, feishu } = await buildTestApp({
      mock,
      encryptKey: ENCRYPT_KEY,
      store: redis(),
      queueOptions: { attempts: 3, backoffMs: 10 },
      sink: recordingSink({
        async onMessage(msg) {
          if (failuresLeft-- > 0) throw new FeishuApiError('im.message.reply', 0, 'socket hang up', 503);
          await feishu.messenger.reply(msg.messageId, { schema: '2.0', body: { elements: [] } }, { uuid: `r-${msg.messageId}` });
        },
      }).sink,
    });
    await post(app, messageEvent());
    await drain();
    expect(failuresLeft).toBe(-1);
    expect(mock.sent).toHaveLength(1);
  });

  it('gives up after the bounded retries, and a business error is not retried at all', async () => {
    const runs: string[] = [];
    const { app, drain } = await buildTestApp({
      mock,
      encryptKey: ENCRYPT_KEY,
      store: redis(),
      queueOptions: { attempts: 3, backoffMs: 10 },
      sink: recordingSink({
        async onMessage(msg) {
          runs.push(msg.messageId);
          const text = JSON.parse(msg.content) as { text: string };
          if (text.text === 'transient') throw new FeishuApiError('im.message.reply', 99991400, 'rate limited', 429);
          throw new FeishuApiError('im.message.create', 230013, 'bot has no availability to this user', 400);
        },
      }).sink,
    });
    await post(app, messageEvent({ text: 'transient' }));
    await drain();
    expect(runs).toHaveLength(3);
    await post(app, messageEvent({ text: 'business' }));
    await drain();
    expect(runs).toHaveLength(4);
  });

  it('retries exhausted on a Feishu outage: the real bot sends the person an error card by open_id, once', { timeout: 30_000 }, async () => {
    mock.use(
      http.post(`${mock.baseUrl}/open-apis/im/v1/messages/:id/reply`, () =>
        HttpResponse.json({ code: 500, msg: 'internal error' }, { status: 500 }),
      ),
    );
    const { app, drain } = await buildTestApp({ mock, encryptKey: ENCRYPT_KEY, store: redis(), queueOptions: { attempts: 2, backoffMs: 10 } });
    const event = messageEvent({ text: 'help', openId: 'ou_outage' });
    await post(app, event);
    await drain();
    expect(mock.sent).toHaveLength(1);
    const [card] = mock.sent;
    expect(card).toMatchObject({ receiveIdType: 'open_id', receiveId: 'ou_outage', uuid: `${event.event.message.message_id}-x` });
    expect(card!.replyTo).toBeUndefined();
  });

  it('an in-flight delivery is not run again by a concurrent copy', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const rec = recordingSink({ onMessage: () => gate });
    const { app, drain } = await buildTestApp({ mock, encryptKey: ENCRYPT_KEY, store: redis(), sink: rec.sink });
    const event = messageEvent();
    await post(app, event);
    await new Promise((r) => setTimeout(r, 20));
    await post(app, event);
    release();
    await drain();
    expect(rec.messages).toHaveLength(1);
  });

  it('answers 503 when the store cannot record the delivery, and runs nothing', async () => {
    const broken = redis();
    const failing: Store = { ...broken, setIfAbsent: () => Promise.reject(new Error('connection refused')) };
    const rec = recordingSink();
    const { app, drain } = await buildTestApp({ mock, encryptKey: ENCRYPT_KEY, store: failing, sink: rec.sink });
    const res = await post(app, messageEvent());
    expect(res.status).toBe(503);
    await drain();
    expect(rec.messages).toHaveLength(0);
  });

  it('hands the handler eventId and messageId for idempotent sends', async () => {
    const rec = recordingSink();
    const { app, drain } = await buildTestApp({ mock, store: redis(), sink: rec.sink });
    const event = messageEvent({ eventId: 'ev_fixed', messageId: 'om_fixed' });
    await app.request('/webhook/event', feishuRequest(event));
    await drain();
    expect(rec.messages[0]).toMatchObject({ eventId: 'ev_fixed', messageId: 'om_fixed', chatId: 'oc_p2p_1', content: '{"text":"help"}' });
  });
});
