import { describe, expect, it } from 'vitest';
import { ENCRYPT_KEY, feishuRequest, messageEvent } from '../support/feishu-events.js';
import { buildTestApp, installFeishuMockForServer } from '../support/webhook-app.js';

const mock = installFeishuMockForServer();

/** A p2p `text` message (well signed, right token) whose `content` is `content`. */
function withContent(content: string, messageType = 'text') {
  const event = messageEvent();
  Object.assign(event.event.message, { content, message_type: messageType });
  return event;
}

const malformed: Array<[string, string, string?]> = [
  ['plain words instead of JSON', 'payslip please'],
  ['truncated JSON', '{"text":"payslip'],
  ['a JSON string', '"payslip"'],
  ['a JSON array', '["payslip"]'],
  ['JSON null', 'null'],
  ['an object without "text"', '{"txt":"payslip"}'],
  ['a non-string "text"', '{"text":["payslip"]}'],
  ['an image message with non-JSON content', 'img_v2_123', 'image'],
];

describe('malformed message content is a malformed event', () => {
  for (const [encryptKey, mode] of [[ENCRYPT_KEY, 'signed'], [undefined, 'token-only']] as const) {
    for (const [name, content, type] of malformed) {
      it(`${name} (${mode}) → 400, the bot never runs and nothing is sent`, async () => {
        const { app, drain } = await buildTestApp({ mock, encryptKey });
        const res = await app.request('/webhook/event', feishuRequest(withContent(content, type), { encryptKey }));
        expect(res.status).toBe(400);
        expect(await res.json()).toHaveProperty('error');
        await drain();
        expect(mock.calls).toHaveLength(0);
      });
    }
  }

  it('well-formed content still reaches the real bot (which answers through Feishu)', async () => {
    const { app, drain } = await buildTestApp({ mock, encryptKey: ENCRYPT_KEY });
    const res = await app.request('/webhook/event', feishuRequest(withContent('{"text":"help"}'), { encryptKey: ENCRYPT_KEY }));
    expect(res.status).toBe(200);
    await drain();
    expect(mock.sent).toHaveLength(1);
  });
});
