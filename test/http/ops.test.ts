import type { StartPass } from '../../src/http/ops.js';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/types.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { feishuRequest, messageEvent } from '../support/feishu-events.js';
import { installFeishuMock } from '../support/feishu-mock.js';
import { buildTestApp, recordingSink } from '../support/webhook-app.js';

const mock = installFeishuMock();
const ADMIN_TOKEN = 'adm-secret-0123456789abcdef0123456789';

async function build(o: { store?: Store; adminToken?: string; runReminders?: StartPass } = {}) {
  return buildTestApp({ mock, sink: recordingSink().sink, ...o });
}

describe('health, readiness, metrics', () => {
  it('healthz is 200 while serving and 503 while draining', async () => {
    const { app, startDraining } = await build();
    expect((await app.request('/healthz')).status).toBe(200);
    startDraining();
    const res = await app.request('/healthz');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'draining' });
  });

  it('readyz is 200 when the store answers and 503 when its ping fails', async () => {
    const ok = await build();
    expect((await ok.app.request('/readyz')).status).toBe(200);
    const failing: Store = { ...createMemoryStore(), ping: () => Promise.reject(new Error('ECONNREFUSED')) };
    const down = await build({ store: failing });
    const res = await down.app.request('/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unavailable' });
  });

  it('readyz is 503 when the store ping hangs', async () => {
    const hanging: Store = { ...createMemoryStore(), ping: () => new Promise(() => undefined) };
    const { app } = await build({ store: hanging });
    expect((await app.request('/readyz')).status).toBe(503);
  });

  it('/metrics exposes the intake counters in Prometheus text', async () => {
    const { app, drain } = await build();
    await app.request('/webhook/event', feishuRequest(messageEvent()));
    await app.request('/webhook/event', feishuRequest(messageEvent({ token: 'bad' })));
    await drain();
    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toContain('hrbot_events_received_total{type="im.message.receive_v1"} 1');
    expect(text).toContain('hrbot_verification_failures_total{reason="bad_token"} 1');
    expect(text).toContain('hrbot_handler_outcomes_total{type="im.message.receive_v1",outcome="ok"} 1');
    expect(text).toMatch(/hrbot_webhook_ack_seconds_count\{path="\/webhook\/event"\} 2/);
  });

  it('unknown routes and methods are 404 JSON carrying X-Request-Id', async () => {
    const { app } = await build();
    for (const [method, path] of [['GET', '/nope'], ['GET', '/webhook/event'], ['DELETE', '/healthz']] as const) {
      const res = await app.request(path, { method });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'not found' });
      expect(res.headers.get('x-request-id')).toBeTruthy();
    }
  });
});

describe('request ids', () => {
  it("keep a sane caller's X-Request-Id, replace anything else, and tag refusals with it", async () => {
    const { app } = await build();
    const kept = await app.request('/nope', { headers: { 'x-request-id': 'edge-7f3a-01' } });
    expect(kept.headers.get('x-request-id')).toBe('edge-7f3a-01');
    const replaced = await app.request('/nope', { headers: { 'x-request-id': '../../etc/passwd' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const healthy = await app.request('/healthz');
    expect(healthy.status).toBe(200);
    expect(healthy.headers.get('x-request-id')).toBeNull();
  });
});

describe('POST /admin/reminders/run', () => {
  const started: StartPass = async () => ({ started: true, passId: 'pass-1' });
  const auth = (token: string) => ({ method: 'POST', headers: { authorization: `Bearer ${token}` } });

  it('is 404 when ADMIN_TOKEN is unset', async () => {
    const { app } = await build({ runReminders: started });
    expect((await app.request('/admin/reminders/run', auth('anything'))).status).toBe(404);
  });

  it('is 401 without the right bearer token', async () => {
    const { app } = await build({ adminToken: ADMIN_TOKEN, runReminders: started });
    expect((await app.request('/admin/reminders/run', { method: 'POST' })).status).toBe(401);
    expect((await app.request('/admin/reminders/run', auth('adm-secreT'))).status).toBe(401);
  });

  it('is 501 with a clear message when no reminder job is wired in', async () => {
    const { app } = await build({ adminToken: ADMIN_TOKEN });
    const res = await app.request('/admin/reminders/run', auth(ADMIN_TOKEN));
    expect(res.status).toBe(501);
    expect(((await res.json()) as { error: string }).error).toMatch(/reminder/);
  });

  it('starts a pass, answers 202 with its id, and drain() waits for an in-process pass', async () => {
    let finished = false;
    const { app, drain, pending } = await build({
      adminToken: ADMIN_TOKEN,
      runReminders: async () => ({
        started: true,
        passId: 'pass-20261201T0200Z-a',
        done: new Promise((r) => setTimeout(r, 50)).then(() => (finished = true)),
      }),
    });
    const res = await app.request('/admin/reminders/run', auth(ADMIN_TOKEN));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'started', passId: 'pass-20261201T0200Z-a' });
    expect(pending()).toBe(1);
    await drain();
    expect(finished).toBe(true);
  });

  it('answers 409 with the running pass id while a pass runs', async () => {
    const { app } = await build({ adminToken: ADMIN_TOKEN, runReminders: async () => ({ started: false, passId: 'pass-x' }) });
    const res = await app.request('/admin/reminders/run', auth(ADMIN_TOKEN));
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ status: 'already running', passId: 'pass-x' });
  });
});
