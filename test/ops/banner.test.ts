import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redactedRedisUrl, renderBanner, startupFacts } from '../../src/banner.js';
import { startServer } from '../../src/main.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { pino } from 'pino';
import { ENCRYPT_KEY, VERIFICATION_TOKEN } from '../support/feishu-events.js';
import { testConfig } from '../support/test-config.js';
import { installFeishuMockForServer, recordingSink } from '../support/webhook-app.js';

const ROOT = resolve(import.meta.dirname, '../..');
const mock = installFeishuMockForServer();
const SECRETS = ['secret_test', VERIFICATION_TOKEN, ENCRYPT_KEY, 'pw-not-for-logs'];
const NOW = new Date('2026-12-02T03:00:00Z');

function expectNoSecrets(text: string): void {
  for (const s of SECRETS) expect(text).not.toContain(s);
}

afterEach(() => vi.restoreAllMocks());

describe('start-up banner', () => {
  it('webhook mode: both URLs to paste, Encrypt Key on, Redis without its password, reminders with the next run', () => {
    const config = testConfig({ FEISHU_ENCRYPT_KEY: ENCRYPT_KEY, REDIS_URL: 'redis://bot:pw-not-for-logs@redis.internal:6380/2' });
    const facts = startupFacts(config, { host: '0.0.0.0', port: 3000 }, NOW);
    expect(facts).toMatchObject({
      role: 'all',
      mode: 'webhook',
      encryption: 'on',
      store: 'redis://***@redis.internal:6380/2',
      webhooks: { event: 'http://localhost:3000/webhook/event', card: 'http://localhost:3000/webhook/card' },
      reminders: { enabled: true, runsHere: true, cron: '0 10 1 * *', timeZone: 'Asia/Shanghai', nextRun: '2027-01-01T02:00:00.000Z' },
    });
    const text = renderBanner(facts);
    expect(text).toMatch(/event URL: +http:\/\/localhost:3000\/webhook\/event/);
    expect(text).toMatch(/card callback URL: +http:\/\/localhost:3000\/webhook\/card/);
    expect(text).toMatch(/Encrypt Key: +on/);
    expect(text).toMatch(/store: +redis:\/\/\*\*\*@redis\.internal:6380\/2/);
    expect(text).toMatch(/reminders: +on, "0 10 1 \* \*" Asia\/Shanghai, next 2027-01-01 10:00/);
    expectNoSecrets(text);
    expectNoSecrets(JSON.stringify(facts));
  });

  it('long-connection mode names no URL to paste; Encrypt Key off; memory store; reminders off', () => {
    const config = testConfig({ FEISHU_EVENT_MODE: 'websocket', REMINDER_ENABLED: 'false' });
    const facts = startupFacts(config, { host: '127.0.0.1', port: 8080 }, NOW);
    expect(facts.webhooks).toBeUndefined();
    expect(facts).toMatchObject({ mode: 'websocket', encryption: 'off', store: 'memory', reminders: { enabled: false } });
    const text = renderBanner(facts);
    expect(text).toContain('long connection');
    expect(text).not.toContain('/webhook/');
    expect(text).toMatch(/store: +memory/);
    expect(text).toMatch(/reminders: +off/);
    expect(text).toContain('http://127.0.0.1:8080/healthz');
  });

  it('web and worker roles: the web process serves the URLs, the worker runs the reminders', () => {
    const redis = { REDIS_URL: 'redis://127.0.0.1:6379' };
    const web = startupFacts(testConfig({ ...redis, BOT_ROLE: 'web' }), { host: '0.0.0.0', port: 3000 }, NOW);
    expect(web.webhooks).toBeDefined();
    expect(web.reminders.runsHere).toBe(false);
    expect(renderBanner(web)).toContain('(run by the worker processes)');
    const worker = startupFacts(testConfig({ ...redis, BOT_ROLE: 'worker' }), { host: '0.0.0.0', port: 3001 }, NOW);
    expect(worker.webhooks).toBeUndefined();
    expect(renderBanner(worker)).toMatch(/mode: +worker/);
  });

  it('hides user and password of any Redis URL', () => {
    expect(redactedRedisUrl('rediss://:pw-not-for-logs@cache.example.com:6380')).toBe('rediss://***@cache.example.com:6380');
    expect(redactedRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('on a terminal the server prints the block and no JSON line; otherwise one JSON line', async () => {
    const lines: string[] = [];
    const sinkStream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const logger = pino({ level: 'info', base: undefined }, sinkStream);
    const config = { ...testConfig({ FEISHU_BASE_URL: mock.baseUrl, FEISHU_ENCRYPT_KEY: ENCRYPT_KEY }), http: { host: '127.0.0.1', port: 0 } };
    const printed: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });

    const tty = await startServer(config, { store: createMemoryStore(), sink: recordingSink().sink, logger, tty: true });
    await tty.stop();
    const block = printed.join('');
    expect(block).toContain('HR bot started');
    expect(block).toContain(`${tty.url}/webhook/event`);
    expect(lines.filter((l) => l.includes('"msg":"listening"'))).toHaveLength(0);
    expectNoSecrets(block);

    printed.length = 0;
    const plain = await startServer(config, { store: createMemoryStore(), sink: recordingSink().sink, logger, tty: false });
    await plain.stop();
    expect(printed.join('')).not.toContain('HR bot started');
    const listening = lines.filter((l) => l.includes('"msg":"listening"'));
    expect(listening).toHaveLength(1);
    const entry = JSON.parse(listening[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ mode: 'webhook', encryption: 'on', store: 'memory', role: 'all', port: plain.port });
    expect(entry.webhooks).toEqual({ event: `${plain.url}/webhook/event`, card: `${plain.url}/webhook/card` });
    expectNoSecrets(listening[0]!);
  });

  it('a started process (stdout not a terminal) writes the banner as one JSON log line', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'hrbot-banner-'));
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src/main.ts')], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        FEISHU_APP_ID: 'cli_0123456789abcdef',
        FEISHU_APP_SECRET: 'secret_test',
        FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
        FEISHU_BASE_URL: 'http://127.0.0.1:9',
        HOST: '127.0.0.1',
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const line = await new Promise<string>((done, fail) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const found = stdout.split('\n').find((l) => l.includes('"msg":"listening"'));
        if (found) done(found);
      });
      child.once('exit', (code) => fail(new Error(`exited ${code}: ${stdout}`)));
    });
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
    const entry = JSON.parse(line) as { port: number; webhooks: { event: string }; mode: string; encryption: string; reminders: { enabled: boolean; nextRun: string } };
    expect(entry.webhooks.event).toBe(`http://127.0.0.1:${entry.port}/webhook/event`);
    expect(entry).toMatchObject({ mode: 'webhook', encryption: 'off', reminders: { enabled: true } });
    expect(Date.parse(entry.reminders.nextRun)).toBeGreaterThan(Date.now());
    expect(stdout).not.toContain('HR bot started');
    expectNoSecrets(stdout);
  }, 30_000);
});
