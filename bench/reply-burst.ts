/**
 * What a burst costs when every event needs a reply: 3 000 signed, encrypted "help" events
 * from 300 people at concurrency 32 into the real bot (`startServer`, role `all`, BullMQ on
 * a private redis-server), each answered with a card through a fake Feishu in its own
 * process that enforces 50/s and 1000/min per app and 5/s per receiver. Reports acks/s next
 * to a bare node:http server in the same run, ack latency, Redis commands per event (INFO,
 * during the load and until the last reply), time to the last reply against the send floor
 * (3 000 replies at 1000/min = 180 s), and 429s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config.js';
import { encryptEnvelope, signedHeaders } from '../src/http/crypto.js';
import { startServer } from '../src/main.js';
import { silentLogger } from '../src/log.js';
import type { FakeStats } from './fake-feishu.js';
import { close, drive, listen, type IntakeFigures, type PreparedRequest } from './intake.js';

export interface ReplyBurstResult {
  events: number;
  senders: number;
  concurrency: number;
  bot: IntakeFigures;
  bare: IntakeFigures;
  ratio: number;
  redisCommandsPerEventDuringLoad: number;
  redisCommandsPerEventUntilLastReply: number;
  lastReplyAfterMs: number;
  sendFloorMs: number;
  floorRatio: number;
  replies: number;
  rateLimited: number;
  redis: 'private' | 'shared';
}

const ENCRYPT_KEY = 'bench-encrypt-key';
const VERIFICATION_TOKEN = 'bench-verification-token';
const PER_MINUTE = 1000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A redis-server of our own, so INFO counts only this bench (the machine's Redis is shared). */
async function privateRedis(): Promise<{ url: string; stop: () => void } | undefined> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'], { stdio: 'ignore' });
  const failed = new Promise<undefined>((resolve) => child.once('error', () => resolve(undefined)));
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    const up = await Promise.race([failed, probe.connect().then(() => true, () => false)]);
    probe.disconnect();
    if (up === undefined) return undefined;
    if (up) return { url, stop: () => child.kill('SIGTERM') };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  return undefined;
}

async function commandsProcessed(redis: Redis): Promise<number> {
  const info = await redis.info('stats');
  const line = info.split('\n').find((l) => l.startsWith('total_commands_processed:'));
  return Number(line?.split(':')[1] ?? 0);
}

function startFake(): Promise<{ url: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./fake-feishu-main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /FAKE (\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`fake feishu exited ${code}`)));
  });
}

/** Signed, encrypted events: `senders` people, each in their own private chat. */
function prepare(n: number, senders: number): { requests: PreparedRequest[]; chats: Array<[string, string]> } {
  const runId = randomBytes(4).toString('hex');
  const chats: Array<[string, string]> = [];
  const requests = Array.from({ length: n }, (_, i) => {
    const sender = `ou_${runId}_${i % senders}`;
    const chatId = `oc_${runId}_${i % senders}`;
    const messageId = `om_${runId}_${i}`;
    chats.push([messageId, chatId]);
    const event = {
      schema: '2.0',
      header: { event_id: `ev_${runId}_${i}`, event_type: 'im.message.receive_v1', create_time: String(Date.now()), token: VERIFICATION_TOKEN, app_id: 'cli_bench', tenant_key: 'tk' },
      event: {
        sender: { sender_id: { open_id: sender, union_id: 'on', user_id: 'u' }, sender_type: 'user', tenant_key: 'tk' },
        message: { message_id: messageId, create_time: String(Date.now()), chat_id: chatId, chat_type: 'p2p', message_type: 'text', content: '{"text":"help"}' },
      },
    };
    const body = Buffer.from(JSON.stringify({ encrypt: encryptEnvelope(JSON.stringify(event), ENCRYPT_KEY) }));
    return {
      body,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(body.length),
        ...signedHeaders(body, ENCRYPT_KEY),
      },
    };
  });
  return { requests, chats };
}

async function fakeStats(url: string): Promise<FakeStats> {
  return (await (await fetch(`${url}/_fake/stats`)).json()) as FakeStats;
}

/**
 * Runs the reply burst once (bare server first, then the bot) and tears everything down.
 *
 * @example
 * const r = await benchReplyBurst({ events: 3000, senders: 300, concurrency: 32 })
 */
export async function benchReplyBurst(opts: { events?: number; senders?: number; concurrency?: number; maxWaitMs?: number } = {}): Promise<ReplyBurstResult> {
  const events = opts.events ?? 3000;
  const senders = opts.senders ?? 300;
  const concurrency = opts.concurrency ?? 32;
  const own = await privateRedis();
  const redisUrl = own?.url ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const fake = await startFake();
  const appId = `cli_burst${randomBytes(4).toString('hex')}`;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });

  const bare = http.createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  bare.listen(0, '127.0.0.1');
  const barePort = await listen(bare);

  const config = loadConfig({
    FEISHU_APP_ID: appId,
    FEISHU_APP_SECRET: 'bench',
    FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    FEISHU_BASE_URL: fake.url,
    REDIS_URL: redisUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
  });
  const running = await startServer(config, { logger: silentLogger, queue: { prefix: `bench:${appId}` } });
  try {
    const warm = prepare(200, 200);
    await drive(barePort, warm.requests, concurrency, 30_000);
    const bareFigures = await drive(barePort, prepare(events, senders).requests, concurrency, 60_000);

    const burst = prepare(events, senders);
    await fetch(`${fake.url}/_fake/know`, { method: 'POST', body: JSON.stringify({ pairs: burst.chats }) });
    const before = await commandsProcessed(redis);
    const started = Date.now();
    const botFigures = await drive(running.port, burst.requests, concurrency, 60_000);
    const afterLoad = await commandsProcessed(redis);
    const deadline = started + (opts.maxWaitMs ?? 400_000);
    let stats = await fakeStats(fake.url);
    while (stats.sent < events && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      stats = await fakeStats(fake.url);
    }
    const afterReplies = await commandsProcessed(redis);
    // The INFO calls themselves are not the bot's.
    const sendFloorMs = (events / PER_MINUTE) * 60_000;
    const lastReplyAfterMs = (stats.lastSentAt ?? Date.now()) - started;
    return {
      events,
      senders,
      concurrency,
      bot: botFigures,
      bare: bareFigures,
      ratio: Number((botFigures.eventsPerSec / bareFigures.eventsPerSec).toFixed(3)),
      redisCommandsPerEventDuringLoad: Number(((afterLoad - before - 1) / events).toFixed(1)),
      redisCommandsPerEventUntilLastReply: Number(((afterReplies - before - 2) / events).toFixed(1)),
      lastReplyAfterMs,
      sendFloorMs,
      floorRatio: Number((lastReplyAfterMs / sendFloorMs).toFixed(3)),
      replies: stats.sent,
      rateLimited: stats.rateLimited,
      redis: own ? 'private' : 'shared',
    };
  } finally {
    await running.stop();
    await close(bare);
    if (!own) {
      for (let cursor = '0'; ; ) {
        const [next, found] = await redis.scan(cursor, 'MATCH', `*${appId}*`, 'COUNT', 1000);
        if (found.length) await redis.unlink(...found);
        if ((cursor = next) === '0') break;
      }
    }
    await redis.quit();
    own?.stop();
    fake.child.kill('SIGTERM');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const events = Number(process.env.BENCH_BURST_EVENTS ?? 3000);
  console.log(JSON.stringify(await benchReplyBurst({ events, senders: Math.max(1, Math.round(events / 10)) }), null, 2));
}
