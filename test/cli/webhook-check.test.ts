import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWebhooks } from '../../src/cli/webhook-check.js';
import type { Config } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { installFeishuMockForServer, recordingSink } from '../support/webhook-app.js';
import { testConfig } from '../support/test-config.js';

installFeishuMockForServer();

const ENCRYPT_KEY = 'doctor-webhook-key-0123456789';
const config: Config = testConfig({ FEISHU_ENCRYPT_KEY: ENCRYPT_KEY });
let running: RunningServer;

beforeAll(async () => {
  running = await startServer(
    { ...config, http: { host: '127.0.0.1', port: 0 } },
    { store: createMemoryStore(), sink: recordingSink().sink, logger: silentLogger },
  );
});
afterAll(() => running.stop());

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((done) => srv.listen(0, '127.0.0.1', done));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((done) => srv.close(() => done()));
  return port;
}

describe('doctor --url: the webhook check', () => {
  it("posts Feishu's signed, encrypted URL check to both paths and sees the challenge come back", async () => {
    const checks = await checkWebhooks(config, running.url);
    expect(checks.map((c) => c.ok)).toEqual([true, true]);
    expect(checks[0]!.line).toContain(`${running.url}/webhook/event: answers`);
    expect(checks[1]!.line).toContain(`${running.url}/webhook/card: answers`);
  });

  it('says when the server behind the URL has another token or key (401)', async () => {
    const other = testConfig({ FEISHU_ENCRYPT_KEY: 'another-key-0123456789', FEISHU_VERIFICATION_TOKEN: 'another-token' });
    const checks = await checkWebhooks(other, running.url);
    expect(checks.every((c) => !c.ok)).toBe(true);
    expect(checks[0]!.line).toContain('refused the URL check (401)');
  });

  it('says when nothing answers at the URL, with the cause', async () => {
    const checks = await checkWebhooks(config, `http://127.0.0.1:${await closedPort()}`);
    expect(checks.every((c) => !c.ok)).toBe(true);
    expect(checks[0]!.line).toContain('not reachable (ECONNREFUSED)');
  });

  it('says when the URL serves something else', async () => {
    const checks = await checkWebhooks(config, `${running.url}/nothing-here/`);
    expect(checks.every((c) => !c.ok)).toBe(true);
    expect(checks[0]!.line).toMatch(/answered 404/);
  });

  it('refuses a URL that is not http(s), and has nothing to check in websocket mode', async () => {
    expect(await checkWebhooks(config, 'ftp://example.com')).toEqual([
      { ok: false, line: 'webhook: --url ftp://example.com is not an http(s) URL' },
    ]);
    const ws = await checkWebhooks({ ...config, feishu: { ...config.feishu, eventMode: 'websocket' } }, running.url);
    expect(ws).toHaveLength(1);
    expect(ws[0]!.ok).toBe(true);
    expect(ws[0]!.line).toContain('not served in websocket mode');
  });
});
