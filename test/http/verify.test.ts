import { describe, expect, it } from 'vitest';
import {
  ENCRYPT_KEY,
  VERIFICATION_TOKEN,
  cardEvent,
  challenge,
  feishuRequest,
  legacyCardCallback,
  messageEvent,
} from '../support/feishu-events.js';
import { installFeishuMock } from '../support/feishu-mock.js';
import { buildTestApp, recordingSink } from '../support/webhook-app.js';

const PATHS = ['/webhook/event', '/webhook/card'] as const;

async function appWith(encryptKey?: string, env?: Record<string, string>) {
  const rec = recordingSink();
  const built = await buildTestApp({ mock, encryptKey, sink: rec.sink, env });
  return { ...built, rec };
}

const mock = installFeishuMock();

describe('url_verification', () => {
  for (const path of PATHS) {
    it(`answers a plain challenge on ${path}`, async () => {
      const { app } = await appWith();
      const body = challenge();
      const res = await app.request(path, feishuRequest(body));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ challenge: body.challenge });
    });

    it(`answers an encrypted challenge on ${path} (no signature needed)`, async () => {
      const { app } = await appWith(ENCRYPT_KEY);
      const body = challenge();
      const res = await app.request(path, feishuRequest(body, { encryptKey: ENCRYPT_KEY, encrypt: true, unsigned: true }));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ challenge: body.challenge });
    });

    it(`refuses a challenge with a wrong token on ${path} (401)`, async () => {
      const { app } = await appWith(ENCRYPT_KEY);
      const plain = await app.request(path, feishuRequest(challenge('wrong-token')));
      expect(plain.status).toBe(401);
      const encrypted = await app.request(
        path,
        feishuRequest(challenge('wrong-token'), { encryptKey: ENCRYPT_KEY, encrypt: true, unsigned: true }),
      );
      expect(encrypted.status).toBe(401);
    });
  }

  it('refuses a challenge whose (optional) signature is present but wrong', async () => {
    const { app } = await appWith(ENCRYPT_KEY);
    const init = feishuRequest(challenge(), { encryptKey: ENCRYPT_KEY });
    init.headers['x-lark-signature'] = '0'.repeat(64);
    expect((await app.request('/webhook/event', init)).status).toBe(401);
  });
});

describe('signed events (FEISHU_ENCRYPT_KEY set)', () => {
  it('serves a correctly signed plain event and a signed encrypted one', async () => {
    const { app, rec, drain } = await appWith(ENCRYPT_KEY);
    const plain = await app.request('/webhook/event', feishuRequest(messageEvent(), { encryptKey: ENCRYPT_KEY }));
    expect(plain.status).toBe(200);
    expect(await plain.json()).toEqual({});
    const enc = await app.request('/webhook/event', feishuRequest(messageEvent(), { encryptKey: ENCRYPT_KEY, encrypt: true }));
    expect(enc.status).toBe(200);
    await drain();
    expect(rec.messages).toHaveLength(2);
    expect(rec.messages[0]).toMatchObject({ chatType: 'p2p', messageType: 'text', senderOpenId: 'ou_employee_1' });
    expect(rec.messages[0]!.eventId).toMatch(/^ev_/);
    expect(rec.messages[0]!.messageId).toMatch(/^om_/);
  });

  const tampered: Array<[string, (init: ReturnType<typeof feishuRequest>) => void]> = [
    ['body', (init) => void (init.body = init.body.replace('help', 'hel p'))],
    ['timestamp', (init) => void (init.headers['x-lark-request-timestamp'] = String(Number(init.headers['x-lark-request-timestamp']) + 1))],
    ['nonce', (init) => void (init.headers['x-lark-request-nonce'] = 'other-nonce')],
    ['signature', (init) => void (init.headers['x-lark-signature'] = init.headers['x-lark-signature']!.replace(/^./, (ch) => (ch === 'a' ? 'b' : 'a')))],
    ['missing signature', (init) => void delete init.headers['x-lark-signature']],
    ['missing timestamp', (init) => void delete init.headers['x-lark-request-timestamp']],
  ];
  for (const [what, tamper] of tampered) {
    it(`refuses a tampered ${what} with 401 and calls nobody`, async () => {
      const { app, rec, drain } = await appWith(ENCRYPT_KEY);
      const init = feishuRequest(messageEvent(), { encryptKey: ENCRYPT_KEY });
      tamper(init);
      const res = await app.request('/webhook/event', init);
      expect(res.status).toBe(401);
      expect(await res.json()).toHaveProperty('error');
      await drain();
      expect(rec.messages).toHaveLength(0);
      expect(mock.calls).toHaveLength(0);
    });
  }

  it('refuses a correctly signed event with a wrong verification token (401)', async () => {
    const { app, rec } = await appWith(ENCRYPT_KEY);
    const res = await app.request('/webhook/event', feishuRequest(messageEvent({ token: 'not-ours' }), { encryptKey: ENCRYPT_KEY }));
    expect(res.status).toBe(401);
    expect(rec.messages).toHaveLength(0);
    expect(mock.calls).toHaveLength(0);
  });

  it('refuses a validly signed but replayed request older than the retry window (401)', async () => {
    const { app, rec } = await appWith(ENCRYPT_KEY);
    const old = String(Math.floor(Date.now() / 1000) - 9 * 3600);
    const res = await app.request('/webhook/event', feishuRequest(messageEvent(), { encryptKey: ENCRYPT_KEY, timestamp: old }));
    expect(res.status).toBe(401);
    expect(rec.messages).toHaveLength(0);
  });

  it("accepts Feishu's last retry (~7.1 h later) even if it carries the first delivery's timestamp", async () => {
    const { app, rec, drain } = await appWith(ENCRYPT_KEY);
    const first = String(Math.floor(Date.now() / 1000) - Math.round(7.1 * 3600));
    const res = await app.request('/webhook/event', feishuRequest(messageEvent(), { encryptKey: ENCRYPT_KEY, timestamp: first }));
    expect(res.status).toBe(200);
    await drain();
    expect(rec.messages).toHaveLength(1);
  });

  it('refuses an event signed with a different encrypt key (401)', async () => {
    const { app } = await appWith(ENCRYPT_KEY);
    const res = await app.request('/webhook/event', feishuRequest(messageEvent(), { encryptKey: 'someone-else' }));
    expect(res.status).toBe(401);
  });
});

describe('without FEISHU_ENCRYPT_KEY', () => {
  it('accepts events on the verification token alone', async () => {
    const { app, rec, drain } = await appWith();
    expect((await app.request('/webhook/event', feishuRequest(messageEvent()))).status).toBe(200);
    await drain();
    expect(rec.messages).toHaveLength(1);
  });

  it('refuses a wrong token with 401 and no outbound call', async () => {
    const { app, rec } = await appWith();
    const res = await app.request('/webhook/event', feishuRequest(messageEvent({ token: 'nope' })));
    expect(res.status).toBe(401);
    expect(rec.messages).toHaveLength(0);
    expect(mock.calls).toHaveLength(0);
  });

  it('answers encrypted bodies with 400 and says why', async () => {
    const { app } = await appWith();
    const res = await app.request('/webhook/event', feishuRequest(challenge(), { encryptKey: ENCRYPT_KEY, encrypt: true, unsigned: true }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/FEISHU_ENCRYPT_KEY is not set/);
  });

  it('verifies v1 event_callback bodies by their top-level token, then ignores them', async () => {
    const { app, metrics } = await appWith();
    const v1 = { uuid: 'u-1', token: VERIFICATION_TOKEN, ts: '1', type: 'event_callback', event: { type: 'message' } };
    expect((await app.request('/webhook/event', feishuRequest(v1))).status).toBe(200);
    expect((await app.request('/webhook/event', feishuRequest({ ...v1, token: 'x' }))).status).toBe(401);
    expect(await metrics.eventsReceived.get()).toMatchObject({ values: [{ labels: { type: 'unsupported' }, value: 1 }] });
  });
});

describe('other event types and callbacks', () => {
  it('acknowledges and counts valid but unsupported event types', async () => {
    const { app, rec, metrics } = await appWith(ENCRYPT_KEY);
    const other = messageEvent();
    other.header.event_type = 'im.chat.member.bot.added_v1';
    const res = await app.request('/webhook/event', feishuRequest(other, { encryptKey: ENCRYPT_KEY }));
    expect(res.status).toBe(200);
    expect(rec.messages).toHaveLength(0);
    const counted = (await metrics.eventsReceived.get()).values.find((v) => v.labels.type === 'unsupported');
    expect(counted?.value).toBe(1);
  });

  it('ignores messages from the bot itself and other apps', async () => {
    const { app, rec, drain } = await appWith();
    await app.request('/webhook/event', feishuRequest(messageEvent({ senderType: 'app' })));
    await drain();
    expect(rec.messages).toHaveLength(0);
  });

  it('accepts card.action.trigger on both paths, signed with the encrypt key', async () => {
    const { app, rec } = await appWith(ENCRYPT_KEY);
    for (const path of PATHS) {
      const res = await app.request(path, feishuRequest(cardEvent(), { encryptKey: ENCRYPT_KEY, encrypt: true }));
      expect(res.status).toBe(200);
    }
    expect(rec.actions).toHaveLength(2);
    expect(rec.actions[0]).toMatchObject({ operatorOpenId: 'ou_approver_1', value: { action: 'noop' }, updateToken: 'c-update-token-1', openMessageId: 'om_card_1' });
  });

  it('wraps string callback values as { value }', async () => {
    const { app, rec } = await appWith();
    await app.request('/webhook/card', feishuRequest(cardEvent({ value: 'approve' })));
    expect(rec.actions[0]!.value).toEqual({ value: 'approve' });
  });

  const LEGACY_ON = { FEISHU_LEGACY_CARD_CALLBACKS: 'true' };

  it('accepts a legacy card callback signed with SHA-1 over the verification token when FEISHU_LEGACY_CARD_CALLBACKS=true', async () => {
    const { app, rec } = await appWith(ENCRYPT_KEY, LEGACY_ON);
    const res = await app.request('/webhook/card', feishuRequest(legacyCardCallback(), { legacyToken: VERIFICATION_TOKEN }));
    expect(res.status).toBe(200);
    expect(rec.actions).toHaveLength(1);
    expect(rec.actions[0]).toMatchObject({ operatorOpenId: 'ou_approver_1', openMessageId: 'om_card_legacy', updateToken: 'c-legacy-update-token' });
    expect(rec.actions[0]!.eventId).toMatch(/^legacy-/);
  });

  for (const [mode, encryptKey] of [['with an Encrypt Key', ENCRYPT_KEY], ['token-only', undefined]] as const) {
    it(`refuses a correctly signed legacy card callback with 401 by default (${mode})`, async () => {
      const { app, rec, metrics } = await appWith(encryptKey);
      const res = await app.request('/webhook/card', feishuRequest(legacyCardCallback(), { legacyToken: VERIFICATION_TOKEN }));
      expect(res.status).toBe(401);
      expect(await res.json()).toHaveProperty('error');
      expect(rec.actions).toHaveLength(0);
      expect(mock.calls).toHaveLength(0);
      expect(await metrics.registry.getSingleMetricAsString('hrbot_verification_failures_total')).toMatch(
        encryptKey ? /reason="bad_signature"/ : /reason="legacy_card_refused"/,
      );
    });
  }

  it('refuses legacy card callbacks that are unsigned, forged or sent to the event path', async () => {
    const { app, rec } = await appWith(undefined, LEGACY_ON);
    const unsigned = await app.request('/webhook/card', feishuRequest(legacyCardCallback()));
    expect(unsigned.status).toBe(401);
    const forged = await app.request('/webhook/card', feishuRequest(legacyCardCallback(), { legacyToken: 'guessed-token' }));
    expect(forged.status).toBe(401);
    const wrongPath = await app.request('/webhook/event', feishuRequest(legacyCardCallback(), { legacyToken: VERIFICATION_TOKEN }));
    expect(wrongPath.status).toBe(401);
    expect(rec.actions).toHaveLength(0);
    expect(mock.calls).toHaveLength(0);
  });

  it('counts verification failures by reason', async () => {
    const { app, metrics } = await appWith(ENCRYPT_KEY);
    await app.request('/webhook/event', feishuRequest(messageEvent(), { encryptKey: 'wrong' }));
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/hrbot_verification_failures_total\{reason="bad_signature"\} 1/);
  });
});

describe('refusal logs', () => {
  it('log the request id and reason, never the body', async () => {
    const { pino } = await import('pino');
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const { app } = await buildTestApp({ mock, logger, sink: recordingSink().sink });
    const res = await app.request('/webhook/event', feishuRequest(messageEvent({ token: 'forged', text: 'salary 98765 for ou_x' })));
    expect(res.status).toBe(401);
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ reason: 'bad_token', status: 401, path: '/webhook/event', msg: 'request refused' });
    expect(entry.requestId).toBe(res.headers.get('x-request-id'));
    expect(lines[0]).not.toMatch(/98765|forged|salary/);
  });
});
