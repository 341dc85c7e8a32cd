import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptEnvelope } from '../../src/http/crypto.js';
import { ENCRYPT_KEY, VERIFICATION_TOKEN, challenge, feishuRequest, legacyCardCallback, messageEvent } from '../support/feishu-events.js';
import { buildTestApp, installFeishuMockForServer, listenLocally, recordingSink } from '../support/webhook-app.js';

const mock = installFeishuMockForServer();

type Init = { body?: string | Uint8Array; headers?: Record<string, string>; method?: string };
const json = (value: unknown): Init => ({ body: typeof value === 'string' ? value : JSON.stringify(value), headers: { 'content-type': 'application/json' } });
const signed = (value: unknown): Init => feishuRequest(value, { encryptKey: ENCRYPT_KEY });
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

const withEvent = (mutate: (e: ReturnType<typeof messageEvent>) => unknown) => {
  const e = messageEvent();
  return mutate(e) ?? e;
};

/** Each case: a name, the path, the request, and the statuses we accept (never 5xx). */
const cases: Array<[string, string, Init, number[]]> = [
  ['empty body', '/webhook/event', { body: '' }, [400, 401]],
  ['no body at all', '/webhook/event', {}, [400, 401]],
  ['not JSON', '/webhook/event', json('hello feishu'), [400, 401]],
  ['truncated JSON', '/webhook/event', json('{"schema":"2.0","header":{'), [400, 401]],
  ['JSON null', '/webhook/event', json('null'), [400, 401]],
  ['JSON number', '/webhook/event', json('42'), [400, 401]],
  ['JSON string', '/webhook/event', json('"url_verification"'), [400, 401]],
  ['JSON array', '/webhook/event', json([challenge()]), [400, 401]],
  ['empty object', '/webhook/event', json({}), [400, 401]],
  ['deeply nested arrays', '/webhook/event', json(deep(100_000)), [400, 401, 413]],
  ['deeply nested objects', '/webhook/card', json(deepObject(50_000)), [400, 401]],
  ['2 MB body', '/webhook/event', json(JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) })), [413]],
  ['2 MB body on the card path', '/webhook/card', json('a'.repeat(2 * 1024 * 1024)), [413]],
  ['invalid UTF-8 bytes', '/webhook/event', { body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }, [400, 401]],
  ['unicode junk', '/webhook/event', json('{"type":"url_verification","challenge":"\u0000\ud83d\ude00\u202e","token":"\u202e"}'), [400, 401]],
  ['challenge with wrong types', '/webhook/event', json({ type: 'url_verification', challenge: 42, token: VERIFICATION_TOKEN }), [400]],
  ['challenge with missing token', '/webhook/card', json({ type: 'url_verification', challenge: 'x' }), [400]],
  ['encrypt not a string', '/webhook/event', json({ encrypt: { nested: true } }), [400, 401]],
  ['encrypted garbage', '/webhook/event', json({ encrypt: randomBytes(64).toString('base64') }), [400, 401]],
  ['encrypted short garbage', '/webhook/card', json({ encrypt: 'AAAA' }), [400, 401]],
  ['encrypted non-JSON plaintext', '/webhook/event', json({ encrypt: encryptEnvelope('not json', ENCRYPT_KEY) }), [400, 401]],
  ['missing header', '/webhook/event', signed({ schema: '2.0', event: {} }), [400]],
  ['header with wrong types', '/webhook/event', signed({ schema: '2.0', header: { event_id: 1, event_type: [], token: null }, event: {} }), [400]],
  ['message event missing message', '/webhook/event', signed(withEvent((e) => ({ ...e, event: { sender: e.event.sender } }))), [400]],
  ['message event with numeric content', '/webhook/event', signed(withEvent((e) => void ((e.event.message as Record<string, unknown>).content = 7))), [400]],
  ['message_id that is an object', '/webhook/event', signed(withEvent((e) => void ((e.event.message as Record<string, unknown>).message_id = { $gt: '' }))), [400]],
  ['prototype pollution keys', '/webhook/event', signed(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"schema":"2.0"}')), [400]],
  ['prototype pollution inside a valid event', '/webhook/event', signed(withEvent((e) => Object.assign(e, JSON.parse('{"__proto__":{"polluted":true}}')))), [200]],
  ['wrong content-type, unsigned', '/webhook/event', { body: JSON.stringify(messageEvent()), headers: { 'content-type': 'text/plain' } }, [401]],
  ['form-encoded body', '/webhook/event', { body: 'challenge=x&token=y&type=url_verification', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, [400, 401]],
  ['legacy sha1 signature forged', '/webhook/card', feishuRequest(legacyCardCallback(), { legacyToken: 'not-the-token' }), [401]],
  ['legacy sha1 signature on the event path', '/webhook/event', feishuRequest(legacyCardCallback(), { legacyToken: VERIFICATION_TOKEN }), [400, 401]],
  ['signature header without timestamp', '/webhook/event', { ...signed(messageEvent()), headers: { 'x-lark-signature': 'ab'.repeat(32) } }, [401]],
  ['non-numeric timestamp', '/webhook/event', feishuRequest(messageEvent(), { encryptKey: ENCRYPT_KEY, timestamp: 'yesterday' }), [401]],
  ['timestamp far in the future', '/webhook/event', feishuRequest(messageEvent(), { encryptKey: ENCRYPT_KEY, timestamp: String(Math.floor(Date.now() / 1000) + 86_400) }), [401]],
  ['unexpected extra headers', '/webhook/event', { body: '{}', headers: { 'x-lark-request-nonce': 'n', 'x-request-id': '../../etc' } }, [400, 401]],
  ['huge challenge string', '/webhook/event', json({ type: 'url_verification', challenge: 'c'.repeat(100_000), token: VERIFICATION_TOKEN }), [400]],
  ['v1 envelope with wrong types', '/webhook/event', json({ type: 'event_callback', uuid: 5, token: VERIFICATION_TOKEN, event: 'x' }), [400, 401]],
];

describe('hostile and malformed bodies', () => {
  let server: Awaited<ReturnType<typeof listenLocally>>;
  const rec = recordingSink();

  beforeAll(async () => {
    const { app } = await buildTestApp({ mock, encryptKey: ENCRYPT_KEY, sink: rec.sink });
    server = await listenLocally(app.fetch);
  });
  afterAll(() => server.close());

  it(`has at least 25 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  for (const [name, path, init, accepted] of cases) {
    it(`${name} → ${accepted.join('/')}, never 5xx`, async () => {
      const res = await fetch(`${server.url}${path}`, { method: 'POST', ...init } as RequestInit);
      expect(res.status).toBeLessThan(500);
      expect(accepted).toContain(res.status);
      if (res.status !== 200) expect(await res.json()).toHaveProperty('error');
      else await res.arrayBuffer();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('a chunked 2 MB body (no Content-Length) → 413', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 2 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${server.url}/webhook/event`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('made no outbound call and ran no handler for any refused request', () => {
    expect(mock.calls).toHaveLength(0);
    // Only the one valid event (with junk prototype keys) reached the bot.
    expect(rec.messages).toHaveLength(1);
  });

  it('still answers /healthz', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
  });
});
