/**
 * Webhook intake throughput: signed `im.message.receive_v1` events through the real app
 * (raw body, signature, zod, Redis dedupe, ack, deferred no-op handler) versus a bare
 * `node:http` server that only reads the body. Both servers run on this process's main thread,
 * one after the other, loaded by the same closed-loop client in a worker thread
 * (`load-client.mjs`), so the figures compare servers rather than the client's own cost.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { serve } from '@hono/node-server';
import { Redis } from 'ioredis';
import { createApp } from '../src/app.js';
import type { EventSink } from '../src/bot/events.js';
import { loadConfig } from '../src/config.js';
import type { Messenger } from '../src/feishu/types.js';
import { signedHeaders } from '../src/http/crypto.js';
import { silentLogger } from '../src/log.js';
import { createMetrics } from '../src/metrics.js';
import { storeKeys } from '../src/store/keys.js';
import { createRedisStore } from '../src/store/redis.js';

export interface BenchIntakeOptions {
  /** Requests per run (default 20 000). */
  requests?: number;
  /** Stop a run after this long even if fewer requests were sent (default 15 s). */
  maxDurationMs?: number;
  concurrency?: number;
  /** Alternating runs per server; the median is reported (default 3). */
  rounds?: number;
  redisUrl?: string;
}

export interface IntakeFigures {
  eventsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Main-thread (server) busy time per request, in µs: the cost of intake itself. */
  serverBusyUsPerRequest: number;
  /** CPU time of this whole process (server and load client together) per request, in µs; steadier than wall time on a shared machine. */
  processCpuUsPerRequest: number;
  /** CPU time of the main thread alone (the server under test; Linux /proc, 10 ms ticks) per request, in µs. */
  mainThreadCpuUsPerRequest: number;
}

export interface IntakeResult {
  bot: IntakeFigures;
  bare: IntakeFigures;
  /** bot / bare throughput. */
  ratio: number;
  concurrency: number;
  rounds: number;
}

const ENCRYPT_KEY = 'bench-encrypt-key';
const VERIFICATION_TOKEN = 'bench-verification-token';

export interface PreparedRequest {
  body: Buffer;
  headers: Record<string, string>;
}

/** Signed events with distinct message ids, built before the clock starts. */
function prepare(n: number): PreparedRequest[] {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const runId = randomBytes(4).toString('hex');
  return Array.from({ length: n }, (_, i) => {
    const body = Buffer.from(
      JSON.stringify({
        schema: '2.0',
        header: { event_id: `ev_${runId}_${i}`, event_type: 'im.message.receive_v1', create_time: String(Date.now()), token: VERIFICATION_TOKEN, app_id: 'cli_bench', tenant_key: 'tk' },
        event: {
          sender: { sender_id: { open_id: `ou_${i % 500}`, union_id: 'on', user_id: 'u' }, sender_type: 'user', tenant_key: 'tk' },
          message: { message_id: `om_${runId}_${i}`, create_time: String(Date.now()), chat_id: 'oc_1', chat_type: 'p2p', message_type: 'text', content: '{"text":"how many days of annual leave do I have left"}' },
        },
      }),
    );
    return {
      body,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(body.length),
        ...signedHeaders(body, ENCRYPT_KEY, timestamp),
      },
    };
  });
}

/** CPU time of this process's main thread (its thread id is the process id) in µs; 0 where /proc is missing. */
function mainThreadCpuUs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), 11 and 12 after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
  } catch {
    return 0;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The load client's thread: one per bench process, reused by every run (see load-client.mjs). */
let loadClient: Worker | undefined;

/**
 * Closed-loop load from a worker thread: `concurrency` connections, each sending the next
 * request when the last one was answered. Also reports how busy the main thread (the server)
 * was per request, which does not depend on how fast the client is.
 */
export async function drive(port: number, requests: PreparedRequest[], concurrency: number, maxDurationMs: number): Promise<IntakeFigures> {
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const main0 = mainThreadCpuUs();
  loadClient ??= new Worker(new URL('./load-client.mjs', import.meta.url));
  const worker = loadClient;
  // Held open only while a run is going: between runs the thread must not keep the process alive.
  worker.ref();
  type Answer = { ok: boolean; result?: { latencies: Float64Array; elapsedMs: number; failures: number }; error?: string };
  let failed: ((err: Error) => void) | undefined;
  const answer = await new Promise<Answer>((resolve, reject) => {
    failed = reject;
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.postMessage({ port, path: '/webhook/event', requests, concurrency, maxDurationMs });
  }).finally(() => worker.off('error', failed!));
  worker.unref();
  if (!answer.ok || !answer.result) throw new Error(`load client failed: ${answer.error ?? 'no result'}`);
  const result = answer.result;
  const busy = performance.eventLoopUtilization(elu);
  const used = process.cpuUsage(cpu);
  const mainUsed = mainThreadCpuUs() - main0;
  if (result.failures > 0) throw new Error(`${result.failures} requests were not answered 200`);
  const latencies = Array.from(result.latencies).sort((a, b) => a - b);
  return {
    eventsPerSec: Math.round((latencies.length * 1000) / result.elapsedMs),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    requests: latencies.length,
    serverBusyUsPerRequest: Number(((busy.active * 1000) / latencies.length).toFixed(1)),
    processCpuUsPerRequest: Number(((used.user + used.system) / latencies.length).toFixed(1)),
    mainThreadCpuUsPerRequest: Number((mainUsed / latencies.length).toFixed(1)),
  };
}

export function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => {
    if (server.listening) return resolve((server.address() as AddressInfo).port);
    server.once('listening', () => resolve((server.address() as AddressInfo).port));
  });
}

export const close = (server: http.Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** The run with the median throughput. */
export function median(runs: IntakeFigures[]): IntakeFigures {
  const sorted = [...runs].sort((a, b) => a.eventsPerSec - b.eventsPerSec);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Measures the bot's webhook intake against a bare HTTP server. The two servers take turns
 * (`rounds` times each, median reported) so that a noisy neighbour hurts both alike.
 *
 * @example
 * const { bot, bare, ratio } = await benchIntake({ requests: 20_000, concurrency: 32 })
 */
export async function benchIntake(opts: BenchIntakeOptions = {}): Promise<IntakeResult> {
  const n = opts.requests ?? 20_000;
  const concurrency = opts.concurrency ?? 32;
  const rounds = opts.rounds ?? 3;
  const maxDurationMs = opts.maxDurationMs ?? 15_000;
  const redisUrl = opts.redisUrl ?? process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const warmup = Math.min(3000, Math.ceil(n / 5));

  const bare = http.createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  bare.listen(0, '127.0.0.1');
  const barePort = await listen(bare);

  const prefix = `bench:${randomBytes(4).toString('hex')}:`;
  // As main.ts does: auto-pipelining batches concurrent requests' dedupe commands into one write.
  const store = createRedisStore(redisUrl, { keyPrefix: prefix, autoPipelining: true });
  await store.ping();
  const config = loadConfig({
    FEISHU_APP_ID: 'cli_bench',
    FEISHU_APP_SECRET: 'bench',
    FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    LOG_LEVEL: 'silent',
  });
  const sink: EventSink = { onMessage: async () => undefined, onCardAction: async () => ({}), onCardFollowUp: async () => undefined };
  const unused = () => Promise.reject(new Error('the intake benchmark sends nothing'));
  const messenger: Messenger = { send: unused, reply: unused, update: unused, updateByToken: unused };
  const botApp = createApp({ config, store, keys: storeKeys(config.feishu.appId), sink, messenger, logger: silentLogger, metrics: createMetrics() });
  const server = serve({ fetch: botApp.app.fetch, port: 0, hostname: '127.0.0.1' }) as http.Server;
  const botPort = await listen(server);

  await drive(barePort, prepare(warmup), concurrency, maxDurationMs);
  await drive(botPort, prepare(warmup), concurrency, maxDurationMs);
  const bareRuns: IntakeFigures[] = [];
  const botRuns: IntakeFigures[] = [];
  for (let round = 0; round < rounds; round++) {
    bareRuns.push(await drive(barePort, prepare(n), concurrency, maxDurationMs));
    botRuns.push(await drive(botPort, prepare(n), concurrency, maxDurationMs));
    await botApp.drain();
  }
  await close(bare);
  await close(server);
  await store.close();

  // The bench's dedupe keys would otherwise sit in Redis for nine hours.
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  for (let cursor = '0'; ; ) {
    const [nextCursor, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (found.length) await redis.unlink(...found);
    if ((cursor = nextCursor) === '0') break;
  }
  await redis.quit();

  const botFigures = median(botRuns);
  const bareFigures = median(bareRuns);
  return {
    bot: botFigures,
    bare: bareFigures,
    ratio: Number((botFigures.eventsPerSec / bareFigures.eventsPerSec).toFixed(3)),
    concurrency,
    rounds,
  };
}
