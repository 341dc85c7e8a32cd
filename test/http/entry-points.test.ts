/**
 * The ways in besides messages, over real HTTP into the app with signed events: bot-menu
 * clicks (`application.bot.menu_v6`, event_key → intent) and the first visit to the bot's
 * private chat (`im.chat.access_event.bot_p2p_chat_entered_v1`, the help card once per
 * person, also across two instances on one Redis). Answers go by open_id to the operator.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MENU_ITEMS } from '../../src/bot/intents/registry.js';
import { monthIn } from '../../src/domain/calendar.js';
import { ENCRYPT_KEY, feishuRequest, VERIFICATION_TOKEN } from '../support/feishu-events.js';
import { testAppId } from '../support/feishu-mock.js';
import { ASKER, createGuard, seedHandlers } from '../support/self-service.js';
import { buildTestApp, installFeishuMockForServer, listenLocally, redisTestStore } from '../support/webhook-app.js';

const mock = installFeishuMockForServer();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

const ALICE = 'ou_alice_entry';
const BOB = 'ou_bob_entry';

function envelope(eventType: string, event: unknown, eventId = randomUUID()) {
  return { schema: '2.0', header: { event_id: eventId, event_type: eventType, token: VERIFICATION_TOKEN, create_time: String(Date.now()) }, event };
}

/** `application.bot.menu_v6` as the event document shows it. */
const menuClick = (eventKey: string, openId = ALICE) =>
  envelope('application.bot.menu_v6', {
    operator: { operator_name: 'Alice', operator_id: { open_id: openId, union_id: 'on_x', user_id: 'u_x' } },
    event_key: eventKey,
    timestamp: String(Date.now()),
  });

/** `im.chat.access_event.bot_p2p_chat_entered_v1` as the SDK types it. */
const entered = (openId = ALICE) =>
  envelope('im.chat.access_event.bot_p2p_chat_entered_v1', {
    chat_id: 'oc_p2p_entry',
    operator_id: { open_id: openId, union_id: 'on_x', user_id: 'u_x' },
    last_message_id: '',
    last_message_create_time: '',
  });

/** One app instance listening on a local port; `post` sends a signed event over real HTTP. */
async function instance(opts: Parameters<typeof buildTestApp>[0]) {
  const built = await buildTestApp({ encryptKey: ENCRYPT_KEY, ...opts });
  const server = await listenLocally(built.app.fetch);
  cleanups.push(server.close);
  const post = (event: unknown) => fetch(`${server.url}/webhook/event`, feishuRequest(event, { encryptKey: ENCRYPT_KEY }));
  return { ...built, post };
}

const titleOf = (content: string) => (JSON.parse(content) as { header?: { title: { content: string } } }).header?.title.content;

describe('bot menu', () => {
  it('documents the keys: every intent a person can start has one', () => {
    expect(MENU_ITEMS.map((m) => m.eventKey)).toEqual(['leave_balance', 'payslip', 'lump_sum', 'reminder_on', 'reminder_off', 'language', 'help']);
  });

  it('event_key → intent, answered by open_id to the person who clicked', async () => {
    const { post, drain, store, keys } = await instance({ mock, env: { DEFAULT_LOCALE: 'en-US' } });
    expect((await post(menuClick('help'))).status).toBe(200);
    await drain();
    expect(mock.sent).toHaveLength(1);
    expect(mock.sent[0]).toMatchObject({ receiveIdType: 'open_id', receiveId: ALICE });
    expect(mock.sent[0]!.replyTo).toBeUndefined();
    expect(titleOf(mock.sent[0]!.content)).toBe('What HR Assistant can do');

    expect((await post(menuClick('reminder_off'))).status).toBe(200);
    await drain();
    expect(await store.isInSet(keys.reminderOptOuts(), ALICE)).toBe(true);
    expect(mock.sent.at(-1)).toMatchObject({ receiveIdType: 'open_id', receiveId: ALICE });

    // "language" switches to the other language than the one the person gets now.
    expect((await post(menuClick('language'))).status).toBe(200);
    await drain();
    expect(await store.get(keys.userLocale(ALICE))).toBe('zh-CN');
    expect(titleOf(mock.sent.at(-1)!.content)).toBe('语言已切换');
  });

  it('a key no intent claims gets the help card, never silence', async () => {
    const { post, drain } = await instance({ mock, env: { DEFAULT_LOCALE: 'zh-CN' } });
    expect((await post(menuClick('not_configured'))).status).toBe(200);
    await drain();
    expect(mock.sent).toHaveLength(1);
    expect(titleOf(mock.sent[0]!.content)).toBe('HR 助手能帮你做什么');
  });

  it('a menu click for a payslip sends the latest payslip to the clicker only, by open_id', async () => {
    const guard = createGuard(ASKER);
    // The app runs on the real clock: the latest payslip is this month's.
    mock.use(...seedHandlers(mock, guard, { payrollMonths: new Set([monthIn(new Date(), 'Asia/Shanghai')]) }));
    const { post, drain } = await instance({ mock, selfService: true });
    expect((await post(menuClick('payslip', ASKER))).status).toBe(200);
    await drain();
    expect(guard.violations).toEqual([]);
    expect(mock.sent.length).toBeGreaterThan(0);
    for (const m of mock.sent) expect(m).toMatchObject({ receiveIdType: 'open_id', receiveId: ASKER });
    const final = mock.updates.at(-1)?.kind === 'patch' ? (mock.updates.at(-1) as { content: string }).content : mock.sent.at(-1)!.content;
    expect(final).toMatch(/9,876\.54/);
  });

  it('refuses malformed payloads (400) and queues nothing', async () => {
    const { post, drain } = await instance({ mock });
    const missingKey = envelope('application.bot.menu_v6', { operator: { operator_id: { open_id: ALICE } } });
    const longKey = menuClick('k'.repeat(31));
    const noOperator = envelope('im.chat.access_event.bot_p2p_chat_entered_v1', { chat_id: 'oc_1' });
    for (const bad of [missingKey, longKey, noOperator]) expect((await post(bad)).status).toBe(400);
    await drain();
    expect(mock.sent).toHaveLength(0);
  });

  it('a redelivered menu event (same event_id) answers once', async () => {
    const { post, drain } = await instance({ mock });
    const click = menuClick('help');
    expect((await post(click)).status).toBe(200);
    expect((await post(click)).status).toBe(200);
    await drain();
    expect(mock.sent).toHaveLength(1);
  });
});

describe('first visit to the private chat', () => {
  it('greets each person once with the help card, by open_id', async () => {
    const { post, drain } = await instance({ mock, env: { DEFAULT_LOCALE: 'en-US' } });
    for (let i = 0; i < 3; i++) expect((await post(entered(ALICE))).status).toBe(200);
    expect((await post(entered(BOB))).status).toBe(200);
    await drain();
    expect(mock.sent.map((m) => m.receiveId).sort()).toEqual([ALICE, BOB]);
    for (const m of mock.sent) {
      expect(m.receiveIdType).toBe('open_id');
      expect(titleOf(m.content)).toBe('What HR Assistant can do');
    }
  });

  it('two instances on one Redis, visits arriving at both at once: one welcome per person', async () => {
    const redis = redisTestStore();
    cleanups.push(() => redis.dispose());
    const appId = testAppId();
    const a = await instance({ mock, store: redis, env: { FEISHU_APP_ID: appId } });
    const b = await instance({ mock, store: redis, env: { FEISHU_APP_ID: appId } });
    const visits = [a, b, a, b].map((i) => i.post(entered(ALICE)));
    expect((await Promise.all(visits)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await Promise.all([a.drain(), b.drain()]);
    expect(mock.sent.filter((m) => m.receiveId === ALICE)).toHaveLength(1);
    expect(await redis.get(a.keys.welcomed(ALICE))).not.toBeNull();
  });
});
