/**
 * The delivery rule against forged requests in token-only mode (no Encrypt Key, so the
 * verification token is the only guard and the attacker is assumed to know it): HR data
 * goes only to its owner, by open_id; never as a reply to an event-named message, never to
 * an event-named chat, never in a callback's HTTP body. Real HTTP into the app, msw for Feishu.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RUN_INTENT_ACTION } from '../../cards/common.js';
import { cardEvent, feishuRequest, messageEvent } from '../support/feishu-events.js';
import { ASKER, createGuard, seedHandlers, type Guard } from '../support/self-service.js';
import { buildTestApp, installFeishuMockForServer, listenLocally } from '../support/webhook-app.js';

const mock = installFeishuMockForServer();
let guard: Guard;

const VICTIM = ASKER;
const ATTACKER_CHAT = 'oc_p2p_mallory';
/** Pay and balance figures of the seed fixtures, in any spelling. */
const FIGURES = /12,?000|9,?876|2,?000\.00|30,?000/;

afterEach(() => expect(guard.violations).toEqual([]));

async function tokenOnlyApp() {
  guard = createGuard(VICTIM);
  mock.use(...seedHandlers(mock, guard));
  const built = await buildTestApp({ mock, selfService: true });
  expect(built.config.feishu.encryptKey).toBeUndefined();
  const server = await listenLocally(built.app.fetch);
  const post = async (path: string, payload: unknown) => {
    const res = await fetch(`${server.url}${path}`, feishuRequest(payload));
    return { status: res.status, body: await res.text() };
  };
  return { ...built, server, post };
}

/** Every IM call Feishu saw, and what the rule demands of it. */
function imCalls() {
  return mock.calls.filter((c) => c.path.startsWith('/open-apis/im/') || c.path.startsWith('/open-apis/interactive/'));
}

function expectOnlySendsToVictim() {
  const calls = imCalls();
  expect(calls.length).toBeGreaterThan(0);
  for (const call of calls) {
    expect(call.method).toBe('POST');
    expect(call.path).toBe('/open-apis/im/v1/messages');
    expect(call.query.get('receive_id_type')).toBe('open_id');
    expect((call.body as { receive_id: string }).receive_id).toBe(VICTIM);
  }
  expect(mock.calls.some((c) => c.path.endsWith('/reply'))).toBe(false);
  expect(JSON.stringify(mock.calls.map((c) => [c.query.toString(), c.body]))).not.toContain(ATTACKER_CHAT);
}

describe('token-only mode: forged events deliver nothing to the attacker', () => {
  it('a forged p2p "payslip" naming the victim as sender, with a message id from the attacker’s chat', async () => {
    const { post, drain, server } = await tokenOnlyApp();
    try {
      const forged = messageEvent({ openId: VICTIM, chatType: 'p2p', chatId: ATTACKER_CHAT, messageId: 'om_attackers_own_message', text: 'payslip January 2025' });
      const res = await post('/webhook/event', forged);
      expect(res.status).toBe(200);
      expect(res.body).not.toMatch(FIGURES);
      await drain();
      expectOnlySendsToVictim();
      expect(mock.sent).toHaveLength(1);
      expect(mock.sent[0]!.content).toMatch(FIGURES);
    } finally {
      await server.close();
    }
  });

  it('a forged p2p event claiming the attacker’s chat, then a forged callback from that chat', async () => {
    const { post, drain, server } = await tokenOnlyApp();
    try {
      // Step 1: teach the bot that the attacker's chat is the victim's private chat (it must learn nothing).
      await post('/webhook/event', messageEvent({ openId: VICTIM, chatType: 'p2p', chatId: ATTACKER_CHAT, text: 'hi' }));
      await drain();
      mock.reset();
      mock.use(...seedHandlers(mock, guard));
      // Step 2: a callback "from the victim" on a card in the attacker's chat, asking for a refresh in place.
      const forged = cardEvent({
        operatorOpenId: VICTIM,
        openChatId: ATTACKER_CHAT,
        openMessageId: 'om_card_in_attackers_chat',
        value: { action: RUN_INTENT_ACTION, intent: 'payslip', slots: JSON.stringify({ month: '2025-01' }), placement: 'replace' },
      });
      const res = await post('/webhook/card', forged);
      expect(res.status).toBe(200);
      expect(res.body).not.toMatch(FIGURES);
      expect(JSON.parse(res.body)).not.toHaveProperty('card');
      await drain();
      expectOnlySendsToVictim();
      expect(mock.updates).toHaveLength(0);
      expect(mock.sent).toHaveLength(1);
      expect(mock.sent[0]!.content).toMatch(FIGURES);
    } finally {
      await server.close();
    }
  });

  it('a genuine refresh updates the victim’s own card in place, after a toast-only answer', async () => {
    const { post, drain, server } = await tokenOnlyApp();
    try {
      await post('/webhook/event', messageEvent({ openId: VICTIM, chatType: 'p2p', chatId: 'oc_p2p_victim', text: 'payslip January 2025' }));
      await drain();
      const own = mock.sent[0]!;
      const res = await post(
        '/webhook/card',
        cardEvent({
          operatorOpenId: VICTIM,
          openChatId: 'oc_p2p_victim',
          openMessageId: own.messageId,
          value: { action: RUN_INTENT_ACTION, intent: 'payslip', slots: JSON.stringify({ month: '2025-01' }) },
        }),
      );
      expect(res.body).not.toMatch(FIGURES);
      expect(JSON.parse(res.body)).toMatchObject({ toast: { type: 'success' } });
      await drain();
      // When payroll's next slot is a second or more away, the card first turns into
      // "looking it up" (a PATCH of that same card); either way only that card is updated.
      expect(mock.updates.length).toBeGreaterThanOrEqual(1);
      for (const update of mock.updates) expect(update).toMatchObject({ kind: 'patch', messageId: own.messageId });
      const last = mock.updates.at(-1)!;
      expect(last.kind === 'patch' && last.content).toMatch(FIGURES);
      expect(mock.sent).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
