import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/main.js';
import { silentLogger } from '../../src/log.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { VERIFICATION_TOKEN, feishuRequest, messageEvent } from '../support/feishu-events.js';
import { recordingSink, installFeishuMockForServer } from '../support/webhook-app.js';
import { testConfig } from '../support/test-config.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'src/main.ts');

const mock = installFeishuMockForServer();

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

/** `npm start` as a fresh process: a clean environment and a directory without `.env`. */
function start(env: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), 'hrbot-main-'));
  const child = spawn(TSX, [MAIN], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, out, exited };
}

const REQUIRED = {
  FEISHU_APP_ID: 'cli_0123456789abcdef',
  FEISHU_APP_SECRET: 'secret',
  FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
};

describe('npm start', () => {
  it('exits 2 with one plain line naming FEISHU_APP_SECRET when it is missing', async () => {
    const { FEISHU_APP_SECRET: _omitted, ...rest } = REQUIRED;
    const { out, exited } = start(rest);
    expect(await exited).toBe(2);
    const lines = out.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^FEISHU_APP_SECRET /);
    expect(out.stderr).not.toMatch(/\n[^\S\n]+at |Error:|ConfigError/);
  }, 30_000);

  it('reports every problem, one line each', async () => {
    const { out, exited } = start({ ...REQUIRED, FEISHU_APP_SECRET: '', PORT: 'eighty', DEFAULT_LOCALE: 'fr' });
    expect(await exited).toBe(2);
    const lines = out.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).toMatch(/FEISHU_APP_SECRET/);
    expect(lines.join('\n')).toMatch(/PORT/);
    expect(lines.join('\n')).toMatch(/DEFAULT_LOCALE/);
  }, 30_000);

  it('serves /healthz with the required variables and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const { child, out, exited } = start({
      ...REQUIRED,
      HOST: '127.0.0.1',
      PORT: String(port),
      FEISHU_BASE_URL: 'http://127.0.0.1:9',
    });
    let status = 0;
    for (let i = 0; i < 150 && status !== 200; i++) {
      status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
    expect(out.stdout).toMatch(/"msg":"listening"/);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out.stdout).toMatch(/"msg":"stopped"/);
  }, 30_000);
});

describe('startServer', () => {
  it('serves on port 0 and stops after draining deferred work', async () => {
    let handled = false;
    const rec = recordingSink({
      onMessage: async () => {
        await new Promise((r) => setTimeout(r, 300));
        handled = true;
      },
    });
    const config = testConfig({ FEISHU_BASE_URL: mock.baseUrl });
    const running = await startServer(
      { ...config, http: { host: '127.0.0.1', port: 0 } },
      { store: createMemoryStore(), sink: rec.sink, logger: silentLogger },
    );
    expect(running.port).toBeGreaterThan(0);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    const res = await fetch(`${running.url}/webhook/event`, feishuRequest(messageEvent()));
    expect(res.status).toBe(200);
    expect(handled).toBe(false);
    await running.stop();
    expect(handled).toBe(true);
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
  });
});
