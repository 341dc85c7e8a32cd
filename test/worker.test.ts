/**
 * The Workers entry run on Node: `worker.fetch(request, env, ctx)` with string bindings, a fake
 * ExecutionContext that collects `waitUntil` promises, real Redis per request, the msw Feishu fake.
 * (Bundling and workerd itself are checked with wrangler outside the suite; see README.)
 */
import { randomBytes } from 'node:crypto';
import { http } from 'msw';
import { deleteKeysWithPrefixes } from './support/redis-cleanup.js';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../src/worker.js';
import { createWorker, REDIS_REQUIRED, type WorkerEnv } from '../src/worker-handler.js';
import { createRedisStore } from '../src/store/redis.js';
import type { Store } from '../src/store/types.js';
import { ENCRYPT_KEY, VERIFICATION_TOKEN, challenge, feishuRequest, messageEvent } from './support/feishu-events.js';
import { installFeishuMock, testAppId } from './support/feishu-mock.js';

const mock = installFeishuMock();
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const prefixes: string[] = [];

afterEach(() => {
  vi.restoreAllMocks();
});

/** Dedupe and token keys live for hours; remove what these tests wrote. */
afterAll(() => deleteKeysWithPrefixes(REDIS_URL, prefixes));

function fakeCtx() {
  const waiting: Promise<unknown>[] = [];
  return { waiting, ctx: { waitUntil: (p: Promise<unknown>) => void waiting.push(p) } };
}

function workerEnv(overrides: Record<string, string | undefined> = {}): WorkerEnv {
  const env: Record<string, unknown> = {
    FEISHU_APP_ID: testAppId(),
    FEISHU_APP_SECRET: 'secret_worker',
    FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    FEISHU_BASE_URL: mock.baseUrl,
    REDIS_URL,
    LOG_LEVEL: 'silent',
    // A non-string binding (KV, queue…) must simply be ignored.
    SOME_KV: { get: () => null },
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** A worker whose per-request Redis stores are recorded, keyed under a prefix of their own. */
function observedWorker() {
  const prefix = `test-worker:${randomBytes(4).toString('hex')}:`;
  prefixes.push(prefix);
  const opened: { store: Store; closed: boolean }[] = [];
  const w = createWorker({
    openStore: (url, opts) => {
      const store = createRedisStore(url, { ...opts, keyPrefix: prefix });
      const entry = { store, closed: false };
      opened.push(entry);
      return {
        ...store,
        async close() {
          await store.close();
          entry.closed = true;
        },
      };
    },
  });
  return { worker: w, opened };
}

const url = (path: string) => `https://hr-bot.example.workers.dev${path}`;

function signedMessage(payload: unknown): Request {
  return new Request(url('/webhook/event'), feishuRequest(payload, { encryptKey: ENCRYPT_KEY, encrypt: true }));
}

describe('worker.fetch', () => {
  it('is the default export of src/worker.ts and answers the url_verification challenge', async () => {
    const env = workerEnv();
    const { ctx, waiting } = fakeCtx();
    const body = challenge();
    const res = await worker.fetch(
      new Request(url('/webhook/event'), feishuRequest(body, { encryptKey: ENCRYPT_KEY, encrypt: true })),
      env,
      ctx,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: body.challenge });
    expect(waiting).toHaveLength(1);
    await Promise.all(waiting);
    expect(mock.calls).toHaveLength(0);
  });

  it('acks a signed private "help" at once; the reply is sent under waitUntil and Redis is closed', async () => {
    const { worker: w, opened } = observedWorker();
    const env = workerEnv();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // Hold every message send until the response has been checked (falls through to the fake).
    mock.use(http.all(`${mock.baseUrl}/open-apis/im/v1/messages*`, async () => {
      await gate;
      return undefined;
    }));

    const { ctx, waiting } = fakeCtx();
    const res = await w.fetch(signedMessage(messageEvent({ text: 'help' })), env, ctx);
    expect(res.status).toBe(200);
    expect(mock.sent).toHaveLength(0);
    expect(waiting).toHaveLength(1);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.closed).toBe(false);

    release();
    await Promise.all(waiting);
    expect(mock.sent).toHaveLength(1);
    expect(mock.sent[0]!.msgType).toBe('interactive');
    expect(opened[0]!.closed).toBe(true);
    await expect(opened[0]!.store.ping()).rejects.toThrow();
  });

  it('drops a duplicate delivery: one reply, a fresh Redis connection per request, each closed', async () => {
    const { worker: w, opened } = observedWorker();
    const env = workerEnv();
    const event = messageEvent({ text: 'help' });

    for (let i = 0; i < 2; i++) {
      const { ctx, waiting } = fakeCtx();
      const res = await w.fetch(signedMessage(event), env, ctx);
      expect(res.status).toBe(200);
      await Promise.all(waiting);
    }

    expect(mock.sent).toHaveLength(1);
    expect(mock.callsTo('/open-apis/im/v1/messages')).toHaveLength(1);
    expect(opened).toHaveLength(2);
    expect(opened[0]!.store).not.toBe(opened[1]!.store);
    expect(opened.every((o) => o.closed)).toBe(true);
  });

  it('answers 503 with a clear message when REDIS_URL is missing, and calls nobody', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { worker: w, opened } = observedWorker();
    const { ctx, waiting } = fakeCtx();
    const res = await w.fetch(signedMessage(messageEvent({ text: 'help' })), workerEnv({ REDIS_URL: undefined }), ctx);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.message).toBe(REDIS_REQUIRED);
    expect(body.message).toMatch(/^REDIS_URL is required on Cloudflare Workers/);
    expect(errors).toHaveBeenCalledWith(REDIS_REQUIRED);
    expect(opened).toHaveLength(0);
    expect(waiting).toHaveLength(0);
    expect(mock.calls).toHaveLength(0);
  });

  it('answers 500 listing every configuration problem, one console line each, no stack, no outbound call', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { worker: w, opened } = observedWorker();
    const env = workerEnv({ FEISHU_APP_SECRET: undefined, DEFAULT_LOCALE: 'fr' });
    for (let i = 0; i < 2; i++) {
      const { ctx, waiting } = fakeCtx();
      const res = await w.fetch(signedMessage(messageEvent({ text: 'help' })), env, ctx);
      expect(res.status).toBe(500);
      const body = (await res.json()) as { error: string; problems: string[] };
      expect(body.error).toBe('configuration');
      expect(body.problems).toHaveLength(2);
      expect(body.problems[0]).toMatch(/^FEISHU_APP_SECRET /);
      expect(body.problems[1]).toMatch(/^DEFAULT_LOCALE /);
      expect(waiting).toHaveLength(0);
    }
    const lines = errors.mock.calls.map((args) => args.join(' '));
    expect(lines).toHaveLength(4);
    expect(lines.filter((l) => l.startsWith('FEISHU_APP_SECRET '))).toHaveLength(2);
    expect(lines.join('\n')).not.toMatch(/\n[^\S\n]+at |ConfigError|secret_worker/);
    expect(opened).toHaveLength(0);
    expect(mock.calls).toHaveLength(0);
  });

  it('logs JSON lines through console.*, redacted, without message text', async () => {
    const lines: string[] = [];
    for (const method of ['log', 'warn', 'error'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    }
    const { ctx, waiting } = fakeCtx();
    const secretText = 'my salary is 12345';
    const res = await worker.fetch(
      new Request(url('/webhook/event'), feishuRequest(messageEvent({ text: secretText }), { encryptKey: ENCRYPT_KEY, unsigned: true })),
      workerEnv({ LOG_LEVEL: 'info' }),
      ctx,
    );
    expect(res.status).toBe(401);
    await Promise.all(waiting);
    expect(lines.length).toBeGreaterThan(0);
    const refused = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((o) => o.msg === 'request refused');
    expect(refused).toMatchObject({ level: 40, reason: 'missing_signature' });
    expect(lines.join('\n')).not.toContain(secretText);
    expect(lines.join('\n')).not.toContain(ENCRYPT_KEY);
    expect(mock.calls).toHaveLength(0);
  });

  it('refuses FEISHU_EVENT_MODE=websocket, which needs a long connection Workers cannot hold', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { ctx } = fakeCtx();
    const res = await worker.fetch(new Request(url('/healthz')), workerEnv({ FEISHU_EVENT_MODE: 'websocket' }), ctx);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { problems: string[] };
    expect(body.problems[0]).toMatch(/^FEISHU_EVENT_MODE websocket is not available/);
  });
});
