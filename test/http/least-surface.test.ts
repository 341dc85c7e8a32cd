import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/main.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { ENCRYPT_KEY, VERIFICATION_TOKEN, cardEvent, challenge, feishuRequest, messageEvent } from '../support/feishu-events.js';
import { captureLogger } from '../support/self-service.js';
import { testConfig } from '../support/test-config.js';
import { buildTestApp, installFeishuMockForServer, listenLocally, recordingSink } from '../support/webhook-app.js';

const mock = installFeishuMockForServer();
const ADMIN_TOKEN = 'adm-0123456789abcdef0123456789abcdef';

/** Every webhook request kind Feishu could send, as fresh requests. */
const webhookRequests = (): Array<[string, RequestInit]> => [
  ['/webhook/event', feishuRequest(challenge())],
  ['/webhook/event', feishuRequest(messageEvent({ text: 'payslip' }))],
  ['/webhook/card', feishuRequest(challenge())],
  ['/webhook/card', feishuRequest(cardEvent())],
];

describe('websocket mode', () => {
  async function serve(mode: 'webhook' | 'websocket') {
    const rec = recordingSink();
    let runs = 0;
    const built = await buildTestApp({
      mock,
      sink: rec.sink,
      adminToken: ADMIN_TOKEN,
      env: { FEISHU_EVENT_MODE: mode },
      runReminders: async () => ({ started: true as const, passId: `pass-${++runs}` }),
    });
    const server = await listenLocally(built.app.fetch);
    return { ...built, rec, server, runs: () => runs };
  }

  it('serves no webhook route: every Feishu request gets 404 and reaches nobody', async () => {
    const { server, rec, drain } = await serve('websocket');
    try {
      for (const [path, init] of webhookRequests()) {
        const res = await fetch(`${server.url}${path}`, { method: 'POST', ...init });
        expect(res.status, path).toBe(404);
        expect(await res.json()).toEqual({ error: 'not found' });
      }
      await drain();
      expect(rec.messages).toHaveLength(0);
      expect(rec.actions).toHaveLength(0);
      expect(mock.calls).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('still serves /healthz, /readyz, /metrics and /admin/*', async () => {
    const { server, runs, drain } = await serve('websocket');
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const metrics = await fetch(`${server.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('hrbot_');
      const admin = await fetch(`${server.url}/admin/reminders/run`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(admin.status).toBe(202);
      await drain();
      expect(runs()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('webhook mode serves the same requests (the 404s above are the mode, not the requests)', async () => {
    const { server, rec, drain } = await serve('webhook');
    try {
      for (const [path, init] of webhookRequests()) {
        const res = await fetch(`${server.url}${path}`, { method: 'POST', ...init });
        expect(res.status, path).toBe(200);
        await res.arrayBuffer();
      }
      await drain();
      expect(rec.messages).toHaveLength(1);
      expect(rec.actions).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

describe('token-only mode at start-up', () => {
  async function startWith(env: Record<string, string>) {
    const log = captureLogger();
    const config = testConfig({ FEISHU_BASE_URL: mock.baseUrl, ...env });
    const running = await startServer(
      { ...config, http: { host: '127.0.0.1', port: 0 } },
      { store: createMemoryStore(), sink: recordingSink().sink, logger: log.logger },
    );
    const healthz = (await fetch(`${running.url}/healthz`)).status;
    await running.stop();
    const lines = log.lines.map((l) => JSON.parse(l) as { level: number; msg: string; fix?: string });
    return { healthz, warnings: lines.filter((l) => l.level === 40), text: log.text() };
  }

  it('starts and logs exactly one warning, with the fix and without any secret', async () => {
    const { healthz, warnings, text } = await startWith({});
    expect(healthz).toBe(200);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain('FEISHU_ENCRYPT_KEY is not set');
    expect(warnings[0]!.fix).toContain('FEISHU_ENCRYPT_KEY');
    expect(text).not.toContain(VERIFICATION_TOKEN);
    expect(text).not.toContain('secret_test');
  });

  it('logs no such warning with an Encrypt Key', async () => {
    const withKey = await startWith({ FEISHU_ENCRYPT_KEY: ENCRYPT_KEY });
    expect(withKey.warnings).toHaveLength(0);
    expect(withKey.text).not.toContain(ENCRYPT_KEY);
  });
});
