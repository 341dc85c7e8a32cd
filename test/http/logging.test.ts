import { describe, expect, it } from 'vitest';
import { ENCRYPT_KEY, feishuRequest, messageEvent } from '../support/feishu-events.js';
import { installFeishuMock } from '../support/feishu-mock.js';
import { captureLogger } from '../support/self-service.js';
import { buildTestApp } from '../support/webhook-app.js';

const mock = installFeishuMock();

describe('logs', () => {
  it('one line per delivery with request id, event id, type and outcome, and never the text or secrets', async () => {
    const log = captureLogger();
    const { app, drain } = await buildTestApp({ mock, encryptKey: ENCRYPT_KEY, logger: log.logger });
    const event = messageEvent({ text: 'payslip please, my PIN is 271828' });
    const init = feishuRequest(event, { encryptKey: ENCRYPT_KEY, encrypt: true, headers: { 'x-request-id': 'req-first' } });
    expect((await app.request('/webhook/event', init)).status).toBe(200);
    await drain();
    expect((await app.request('/webhook/event', feishuRequest(event, { encryptKey: ENCRYPT_KEY, headers: { 'x-request-id': 'req-retry' } }))).status).toBe(200);
    await drain();

    const events = log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'event');
    expect(events.map((e) => e.outcome)).toEqual(['handled', 'duplicate']);
    // The job's line carries the id of the request that delivered its message; the retry's line its own.
    expect(events.map((e) => e.requestId)).toEqual(['req-first', 'req-retry']);
    for (const e of events) {
      expect(e.eventId).toBe(event.header.event_id);
      expect(e.eventType).toBe('im.message.receive_v1');
    }
    const all = log.text();
    expect(all).not.toContain('271828');
    expect(all).not.toContain('payslip please');
    expect(all).not.toContain(ENCRYPT_KEY);
    expect(all).not.toContain('secret_test');
    expect(all).not.toMatch(/"t-\d+"/);
  });
});
