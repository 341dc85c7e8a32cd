import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventSink, IncomingMessage } from '../../src/bot/events.js';
import type { Messenger } from '../../src/feishu/types.js';
import { createRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { ENCRYPT_KEY, feishuRequest, messageEvent } from '../support/feishu-events.js';
import { startOwnRedis, type OwnRedis } from '../support/own-redis.js';
import { buildTestApp, installFeishuMockForServer, listenLocally } from '../support/webhook-app.js';

const mock = installFeishuMockForServer();

/** Generous: the contract says 2 s; this only tells "answered" from "hung". */
const HANG_MS = 5_000;

/** Replies once per message through the real client, so msw's log shows every send. */
function replyingSink(messenger: () => Messenger, handled: IncomingMessage[]): EventSink {
  return {
    async onMessage(msg) {
      handled.push(msg);
      await messenger().reply(msg.messageId, { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'hi' }] } }, { uuid: `r-${msg.messageId}`, chatId: msg.chatId });
    },
    async onCardAction() {
      return {};
    },
    async onCardFollowUp() {},
  };
}

describe('a Redis that stalls or goes away (own redis-server)', () => {
  let redis: OwnRedis;
  let store: Store;
  let server: Awaited<ReturnType<typeof listenLocally>>;
  let drain: () => Promise<void>;
  const handled: IncomingMessage[] = [];

  beforeAll(async () => {
    redis = await startOwnRedis();
    // The options main.ts uses.
    store = createRedisStore(redis.url, { keyPrefix: `outage:${randomBytes(4).toString('hex')}:`, autoPipelining: true, onError: () => undefined });
    const ref: { messenger?: Messenger } = {};
    const built = await buildTestApp({ mock, encryptKey: ENCRYPT_KEY, store, sink: replyingSink(() => ref.messenger!, handled) });
    ref.messenger = built.feishu.messenger;
    drain = built.drain;
    server = await listenLocally(built.app.fetch);
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await redis?.stop();
  });

  const deliver = async (event: ReturnType<typeof messageEvent>) => {
    const started = Date.now();
    const res = await fetch(`${server.url}/webhook/event`, feishuRequest(event, { encryptKey: ENCRYPT_KEY }));
    const body = (await res.json()) as Record<string, unknown>;
    return { status: res.status, body, ms: Date.now() - started };
  };
  const readyz = async () => (await fetch(`${server.url}/readyz`)).status;
  const repliesTo = (event: ReturnType<typeof messageEvent>) =>
    mock.sent.filter((m) => m.replyTo === event.event.message.message_id);
  const handledCount = (event: ReturnType<typeof messageEvent>) =>
    handled.filter((m) => m.messageId === event.event.message.message_id).length;

  it('CLIENT PAUSE: the webhook answers 503 (not a hang), /readyz says 503, and the retry afterwards is handled once', async () => {
    const warm = messageEvent();
    expect((await deliver(warm)).status).toBe(200);
    await drain();
    expect(await readyz()).toBe(200);

    const event = messageEvent({ text: 'balance' });
    await redis.admin().call('CLIENT', 'PAUSE', '4000', 'ALL');
    const during = await deliver(event);
    const readyDuring = await readyz();
    expect(during.status).toBe(503);
    expect(during.body).toHaveProperty('error');
    expect(during.ms).toBeLessThan(HANG_MS);
    expect(readyDuring).toBe(503);

    // The admin client's PING is held until the pause ends.
    await redis.admin().ping();
    expect(await readyz()).toBe(200);
    // Feishu's retry of the refused delivery: handled once, and a further copy is a duplicate.
    expect((await deliver(event)).status).toBe(200);
    await drain();
    expect((await deliver(event)).status).toBe(200);
    await drain();
    expect(handledCount(event)).toBe(1);
    expect(repliesTo(event)).toHaveLength(1);
  }, 30_000);

  it('a killed Redis: 503 and /readyz 503 while it is down; the process reconnects on its own when it returns', async () => {
    const event = messageEvent({ text: 'payslip' });
    await redis.kill();
    const during = await deliver(event);
    expect(during.status).toBe(503);
    expect(during.ms).toBeLessThan(HANG_MS);
    expect(await readyz()).toBe(503);
    expect(handledCount(event)).toBe(0);

    await redis.restart();
    let ready = 0;
    for (let i = 0; i < 100 && ready !== 200; i++) {
      ready = await readyz();
      if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ready).toBe(200);
    expect((await deliver(event)).status).toBe(200);
    await drain();
    expect((await deliver(event)).status).toBe(200);
    await drain();
    expect(handledCount(event)).toBe(1);
    expect(repliesTo(event)).toHaveLength(1);
  }, 30_000);
});
