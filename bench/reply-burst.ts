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
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config.js';
import { encryptEnvelope, signedHeaders } from '../src/http/crypto.js';
import { startServer } from '../src/main.js';
import { silentLogger } from '../src/log.js';
import type { FakeStats } from './fake-feishu.js';
import { close, drive, listen, median, type IntakeFigures, type PreparedRequest } from './intake.js';
import { startFakeFeishuProcess } from './fake-feishu-process.js';
import { startMinimalAck, type MinimalSteps } from './minimal-ack.js';

export interface ReplyBurstResult {
  events: number;
  senders: number;
  concurrency: number;
  bot: IntakeFigures;
  /** The median of three runs of the bare server (`bareRange`: slowest and fastest, events/s). */
  bare: IntakeFigures;
  bareRange: [number, number];
  /**
   * The least a durable ack can do on this machine (bench/minimal-ack.ts: raw node:http,
   * verify, decrypt, zod, one BullMQ add), median of three runs like the bare server's.
   */
  minimalAck: IntakeFigures;
  minimalAckRange: [number, number];
  /** minimal ack / bare: what a bare-bones durable intake reaches against the bare server here. */
  minimalAckRatio: number;
  /** bot / minimal ack: how much of that the bot reaches. */
  ratioToMinimalAck: number;
  /** The minimal ack's first half alone (verify, decrypt, zod, then 200; no Redis), median of three runs. */
  verifyOnly: IntakeFigures;
  verifyOnlyRatio: number;
  /** Its second half alone (read the body, one BullMQ add of the same shape, then 200; no verification). */
  enqueueOnly: IntakeFigures;
  enqueueOnlyRatio: number;
  /**
   * CPU time per event on the whole machine (µs): this process (server, and the load
   * client's thread) plus redis-server (`INFO cpu`; only with the bench's private Redis).
   * Set against `cpuBudgetUsPerEventAtTarget`, it shows which servers could reach the target.
   */
  cpuUsPerEvent: { bare: number; verifyOnly: number; enqueueOnly: number; minimalAck: number; bot: number };
  /** redis-server's CPU time per event (µs) in the same runs. */
  redisCpuUsPerEvent: { enqueueOnly: number; minimalAck: number; bot: number };
  /** The machine's CPU time per event (µs, all cores) when a server acks at the target ratio of the bare server. */
  cpuBudgetUsPerEventAtTarget: number;
  ratio: number;
  redisCommandsPerEventDuringLoad: number;
  redisCommandsPerEventUntilLastReply: number;
  /** Per command, calls per event (`INFO commandstats`; the INFO calls themselves included). */
  commandsPerEvent: { duringLoad: Record<string, number>; untilLastReply: Record<string, number> };
  lastReplyAfterMs: number;
  sendFloorMs: number;
  floorRatio: number;
  /** This process's main-thread busy time per reply sent after the load (µs): what a job costs the bot's event loop (role `all`). */
  busyUsPerReplyAfterLoad: number;
  /** The machine's 1-minute load average when the run ended (the machine is shared; figures move with it). */
  loadAverage: number;
  /** This process's CPU time per reply sent after the load (µs; role `all`: the jobs' cost). */
  cpuUsPerReplyAfterLoad: number;
  replies: number;
  /** Replies the fake had taken when the last ack came back (their jobs ran during the load). */
  repliesDuringLoad: number;
  /** Replies to the bot's warm-up (its 200 distinct messages, answered before the burst). */
  warmUpReplies: number;
  rateLimited: number;
  redis: 'private' | 'shared';
  /** `all`: one process does intake and jobs; `split`: this process is `web`, a child process is the `worker`. */
  role: BurstRole;
  /** Whether this process runs as `npm start` does, with V8's `--no-flush-bytecode` (`npm run bench` sets it). */
  keepsCompiledCode: boolean;
  /** Whether V8's memory reducer is off (`--no-memory-reducer`), as `npm start` runs it. */
  keepsHeapLimits: boolean;
}

/**
 * How the bot runs: `all` (one process, the default), `split` (`web` here plus one `worker`
 * child process on the same Redis), or `web` (intake alone, nothing answers: a diagnostic
 * of what the acks cost without jobs; replies and their figures stay at zero).
 */
export type BurstRole = 'all' | 'split' | 'web';

/** The throughput target: the bot acks at least this share of what the bare server takes. */
export const BURST_TARGET_RATIO = 0.5;

const ENCRYPT_KEY = 'bench-encrypt-key';
const VERIFICATION_TOKEN = 'bench-verification-token';
const PER_MINUTE = 1000;
/**
 * Events each server takes before it is measured: three bursts' worth, so that V8 has
 * compiled the hot path before the clock starts. After a warm-up of one burst (3 000
 * events), the bot's measured burst still had V8 optimizing 168 functions (Node's HTTP
 * parser and streams, the intake, ioredis, BullMQ) on its compiler threads, about 100 µs of
 * CPU per event on top of the acks (`--trace-opt` and per-thread CPU from /proc, in a run
 * shaped like this one: role `all`, 200 answered messages, a quiet minute), and a second
 * burst right after it optimized 23 more; after 9 000 events the first burst optimized 48,
 * at half that compiler CPU. A yardstick's figure is the median of three runs, so it was
 * measured past that point already; the bot's single burst was not.
 */
const WARM_UP = 9000;
/** Runs of the burst against each yardstick server (bare, minimal ack); the median is reported. */
const BARE_ROUNDS = 3;
/** Distinct messages among the bot's warm-up events (each answered once). */
const WARM_MESSAGES = 200;
/** Wait after the warm-up's last reply: the fake's per-minute window, plus a second. */
const WINDOW_CLEAR_MS = 61_000;

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
  // A fixed port (BENCH_REDIS_PORT) lets `redis-cli monitor` watch a run.
  const port = Number(process.env.BENCH_REDIS_PORT) || (await freePort());
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

/**
 * With BENCH_PROFILE=<file>, a CPU profile of this process's main thread (the bot) while
 * `work` runs: open it in Chrome DevTools or summarise its self times.
 */
async function profiled<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!file) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

/** Calls per Redis command (`INFO commandstats`), to see what a run costs and where. */
async function commandStats(redis: Redis): Promise<Record<string, number>> {
  const info = `${await redis.info('commandstats')}\n${await redis.info('stats')}`;
  const out: Record<string, number> = {};
  // Socket reads Redis served (about one per batch a client wrote) and bytes received.
  for (const field of ['total_reads_processed', 'total_net_input_bytes', 'total_net_output_bytes']) {
    const m = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
    if (m) out[field] = Number(m[1]);
  }
  for (const line of info.split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

function perEvent(after: Record<string, number>, before: Record<string, number>, events: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [cmd, calls] of Object.entries(after)) {
    const d = calls - (before[cmd] ?? 0);
    if (d > 0) out[cmd] = Number((d / events).toFixed(2));
  }
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

/** a's throughput over b's, to three places. */
function rateRatio(a: IntakeFigures, b: IntakeFigures): number {
  return Number((a.eventsPerSec / b.eventsPerSec).toFixed(3));
}

/** The whole machine's CPU time per event (µs): the process's, from a drive, plus redis-server's. */
function machineCpuUsPerEvent(figures: IntakeFigures, redisCpuUsPerEvent: number): number {
  return Math.round(figures.processCpuUsPerRequest + redisCpuUsPerEvent);
}

/** redis-server's CPU time so far (µs, user + system; `INFO cpu`). */
async function redisCpuUs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return Math.round((field('used_cpu_user') + field('used_cpu_sys')) * 1e6);
}

async function commandsProcessed(redis: Redis): Promise<number> {
  const info = await redis.info('stats');
  const line = info.split('\n').find((l) => l.startsWith('total_commands_processed:'));
  return Number(line?.split(':')[1] ?? 0);
}


/** A `BOT_ROLE=worker` process of the bot (`src/main.ts`), ready once `/readyz` answers 200. */
async function startWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const port = await freePort();
  const script = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  // As `npm start` runs it (package.json): the compiled code survives quiet spells.
  const child = spawn(process.execPath, ['--no-flush-bytecode', '--no-memory-reducer', '--import', 'tsx', script], {
    env: { ...process.env, ...env, BOT_ROLE: 'worker', PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`worker process exited ${code}`))));
  exited.catch(() => undefined);
  for (let i = 0; i < 600; i++) {
    const ok = await Promise.race([fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false), exited]);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('worker process did not become ready');
}

/**
 * Signed, encrypted events: `senders` people, each in their own private chat. With
 * `messages`, only that many distinct messages: the other events are re-deliveries of them
 * (new event ids), as Feishu's retries are, which the bot acknowledges and answers once.
 */
function prepare(n: number, senders: number, messages = n): { requests: PreparedRequest[]; chats: Array<[string, string]> } {
  const runId = randomBytes(4).toString('hex');
  const chats: Array<[string, string]> = [];
  const requests = Array.from({ length: n }, (_, i) => {
    const sender = `ou_${runId}_${(i % messages) % senders}`;
    const chatId = `oc_${runId}_${(i % messages) % senders}`;
    const messageId = `om_${runId}_${i % messages}`;
    if (i < messages) chats.push([messageId, chatId]);
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
export async function benchReplyBurst(
  opts: { events?: number; senders?: number; concurrency?: number; maxWaitMs?: number; role?: BurstRole } = {},
): Promise<ReplyBurstResult> {
  const role = opts.role ?? 'all';
  const events = opts.events ?? 3000;
  const senders = opts.senders ?? 300;
  const concurrency = opts.concurrency ?? 32;
  const own = await privateRedis();
  const redisUrl = own?.url ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const fake = await startFakeFeishuProcess();
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

  const env = {
    FEISHU_APP_ID: appId,
    FEISHU_APP_SECRET: 'bench',
    FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    FEISHU_BASE_URL: fake.url,
    REDIS_URL: redisUrl,
    HOST: '127.0.0.1',
  };
  const config = loadConfig({ ...env, PORT: '0', LOG_LEVEL: 'silent', BOT_ROLE: role === 'all' ? 'all' : 'web' });
  // The queue's default prefix (hrbot:<appId>:bull), so that a worker process finds the same jobs.
  const running = await startServer(config, { logger: silentLogger });
  const worker = role === 'split' ? await startWorkerProcess(env) : undefined;
  try {
    // Both servers take the same warm-up before they are measured (WARM_UP events), as a bot
    // that has been running would be: the bot's are WARM_MESSAGES messages, answered, and
    // re-deliveries of them, acknowledged only. The burst starts once those replies are out
    // and the fake's one-minute send window (and the bot's limiter) has emptied again, so
    // the floor below still holds.
    // A yardstick server: the same warm-up, then the burst BARE_ROUNDS times. A run takes
    // about a second, so one hiccup moves it a lot: the median, and the slowest and fastest.
    // Redis's CPU is read around the measured runs: per event, over all of them.
    const yardstick = async (port: number): Promise<{ figures: IntakeFigures; range: [number, number]; redisCpuUsPerEvent: number; cpuUsPerEvent: number }> => {
      await drive(port, prepare(WARM_UP, WARM_UP).requests, concurrency, 60_000);
      const runs: IntakeFigures[] = [];
      const redisBefore = await redisCpuUs(redis);
      for (let round = 0; round < BARE_ROUNDS; round++) runs.push(await drive(port, prepare(events, senders).requests, concurrency, 60_000));
      const served = runs.reduce((sum, r) => sum + r.requests, 0);
      const redisCpuUsPerEvent = Math.round(((await redisCpuUs(redis)) - redisBefore) / served);
      const rates = runs.map((r) => r.eventsPerSec);
      const figures = median(runs);
      return { figures, range: [Math.min(...rates), Math.max(...rates)], redisCpuUsPerEvent, cpuUsPerEvent: machineCpuUsPerEvent(figures, redisCpuUsPerEvent) };
    };
    const bareRun = await yardstick(barePort);
    const bareFigures = bareRun.figures;
    const minimalOf = async (steps: MinimalSteps) => {
      const server = await startMinimalAck({ redisUrl, encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, steps });
      return yardstick(server.port).finally(() => server.stop());
    };
    const minimalRun = await minimalOf('verify+enqueue');
    const minimalFigures = minimalRun.figures;
    const verifyRun = await minimalOf('verify');
    const enqueueRun = await minimalOf('enqueue');
    const warm = prepare(WARM_UP, WARM_MESSAGES, WARM_MESSAGES);
    await fetch(`${fake.url}/_fake/know`, { method: 'POST', body: JSON.stringify({ pairs: warm.chats }) });
    const sentBefore = (await fakeStats(fake.url)).sent;
    await drive(running.port, warm.requests, concurrency, 60_000);
    if (role !== 'web') {
      for (let waited = 0; (await fakeStats(fake.url)).sent < sentBefore + WARM_MESSAGES && waited < 120_000; waited += 100) {
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, WINDOW_CLEAR_MS));
    }
    const warmReplies = (await fakeStats(fake.url)).sent - sentBefore;

    const burst = prepare(events, senders);
    await fetch(`${fake.url}/_fake/know`, { method: 'POST', body: JSON.stringify({ pairs: burst.chats }) });
    const statsBefore = await commandStats(redis);
    const before = await commandsProcessed(redis);
    const redisCpuBefore = await redisCpuUs(redis);
    const started = Date.now();
    const botFigures = await profiled(process.env.BENCH_PROFILE, () => drive(running.port, burst.requests, concurrency, 60_000));
    const botRedisCpu = Math.round(((await redisCpuUs(redis)) - redisCpuBefore) / botFigures.requests);
    const afterLoad = await commandsProcessed(redis);
    const statsAfterLoad = await commandStats(redis);
    const deadline = started + (opts.maxWaitMs ?? 400_000);
    const drainElu = performance.eventLoopUtilization();
    const drainCpu = process.cpuUsage();
    let stats = await fakeStats(fake.url);
    const burstSent = () => stats.sent - sentBefore - warmReplies;
    const sentAtLoadEnd = burstSent();
    const drainProfile = process.env.BENCH_PROFILE ? process.env.BENCH_PROFILE.replace(/(\.cpuprofile)?$/, '.drain.cpuprofile') : undefined;
    await profiled(drainProfile, async () => {
      while (role !== 'web' && burstSent() < events && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        stats = await fakeStats(fake.url);
      }
    });
    const drainBusy = performance.eventLoopUtilization(drainElu);
    const drainUsed = process.cpuUsage(drainCpu);
    const afterReplies = await commandsProcessed(redis);
    const statsAfterReplies = await commandStats(redis);
    // The INFO calls themselves are not the bot's.
    const sendFloorMs = (events / PER_MINUTE) * 60_000;
    const lastReplyAfterMs = (stats.lastSentAt ?? Date.now()) - started;
    return {
      events,
      senders,
      concurrency,
      bot: botFigures,
      bare: bareFigures,
      bareRange: bareRun.range,
      ratio: rateRatio(botFigures, bareFigures),
      minimalAck: minimalFigures,
      minimalAckRange: minimalRun.range,
      minimalAckRatio: rateRatio(minimalFigures, bareFigures),
      ratioToMinimalAck: rateRatio(botFigures, minimalFigures),
      verifyOnly: verifyRun.figures,
      verifyOnlyRatio: rateRatio(verifyRun.figures, bareFigures),
      enqueueOnly: enqueueRun.figures,
      enqueueOnlyRatio: rateRatio(enqueueRun.figures, bareFigures),
      cpuUsPerEvent: {
        bare: bareRun.cpuUsPerEvent,
        verifyOnly: verifyRun.cpuUsPerEvent,
        enqueueOnly: enqueueRun.cpuUsPerEvent,
        minimalAck: minimalRun.cpuUsPerEvent,
        bot: machineCpuUsPerEvent(botFigures, botRedisCpu),
      },
      redisCpuUsPerEvent: { enqueueOnly: enqueueRun.redisCpuUsPerEvent, minimalAck: minimalRun.redisCpuUsPerEvent, bot: botRedisCpu },
      cpuBudgetUsPerEventAtTarget: Math.round((availableParallelism() * 1e6) / (BURST_TARGET_RATIO * bareFigures.eventsPerSec)),
      redisCommandsPerEventDuringLoad: Number(((afterLoad - before - 1) / events).toFixed(1)),
      redisCommandsPerEventUntilLastReply: Number(((afterReplies - before - 2) / events).toFixed(1)),
      commandsPerEvent: { duringLoad: perEvent(statsAfterLoad, statsBefore, events), untilLastReply: perEvent(statsAfterReplies, statsBefore, events) },
      lastReplyAfterMs,
      sendFloorMs,
      floorRatio: Number((lastReplyAfterMs / sendFloorMs).toFixed(3)),
      busyUsPerReplyAfterLoad: Math.round((drainBusy.active * 1000) / Math.max(1, burstSent() - sentAtLoadEnd)),
      loadAverage: loadavg()[0] ?? 0,
      cpuUsPerReplyAfterLoad: Math.round((drainUsed.user + drainUsed.system) / Math.max(1, burstSent() - sentAtLoadEnd)),
      replies: burstSent(),
      warmUpReplies: warmReplies,
      repliesDuringLoad: sentAtLoadEnd,
      rateLimited: stats.rateLimited,
      redis: own ? 'private' : 'shared',
      role,
      keepsCompiledCode: process.execArgv.includes('--no-flush-bytecode'),
      keepsHeapLimits: process.execArgv.includes('--no-memory-reducer'),
    };
  } finally {
    worker?.kill('SIGTERM');
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
  const role = (process.env.BENCH_BURST_ROLE ?? 'all') as BurstRole;
  const senders = Number(process.env.BENCH_BURST_SENDERS) || Math.max(1, Math.round(events / 10));
  console.log(JSON.stringify(await benchReplyBurst({ events, senders, role }), null, 2));
}
