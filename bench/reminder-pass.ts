/**
 * A reminder pass at the rate-limit floor: N synthetic employees (default 2 000) in the
 * local fake Feishu, which enforces the published limits with 429s (sends 50/s and
 * 1000/min per app and 5/s per person, balance pages 100/min, expire records 50/s), a real
 * Redis, and the BullMQ runner as the server runs it. Reports the pass duration against the
 * floor, max(N/1000 min of sends, N/100 pages at 100/min), the 429s, and a projection for
 * 100 000 employees at the measured ratio. The fake runs in its own process, so its clock
 * sees calls as Feishu would, not delayed by the pass's own event loop.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { Queue } from 'bullmq';
import { pathToFileURL } from 'node:url';
import { createOwnerDelivery } from '../src/bot/delivery.js';
import { loadConfig } from '../src/config.js';
import { feishuClientFor } from '../src/feishu/client.js';
import { createI18n } from '../src/i18n.js';
import { createLogger, silentLogger } from '../src/log.js';
import { createMetrics } from '../src/metrics.js';
import { createBullReminderRunner, PUSH_QUEUE_NAME } from '../src/reminders/runner.js';
import { storeKeys } from '../src/store/keys.js';
import { createStore } from '../src/store/index.js';
import type { FakeStats } from './fake-feishu.js';
import { startFakeFeishuProcess } from './fake-feishu-process.js';
import { deleteKeysWithPrefixes } from '../test/support/redis-cleanup.js';

export interface ReminderPassResult {
  employees: number;
  sent: number;
  pages: number;
  durationMs: number;
  floorMs: number;
  ratio: number;
  rateLimited: { sends: number; hr: number };
  duplicates: number;
  expireRecordCalls: number;
  /** Employees with a positive balance in the synthetic roster (every tenth has none): who should get a card. */
  due: number;
  /** Cards the fake accepted within 3 s after the pass ended (0 unless it ended before its pushes settled). */
  cardsAfterEnd: number;
  /** From the start to the first card, from the first card to the last, from the last card to the pass's end (ms). */
  timeline: { firstCardMs: number; sendingMs: number; windDownMs: number };
  /** The most push jobs waiting or running at once (sampled every 100 ms): the pass's backpressure. */
  maxQueued: number;
  /** 1-minute load average of the machine at the start and the end (2 cores, shared). */
  loadAverage: { start: number; end: number };
  /** 100 000 employees with the same share due: the floor and the duration at the measured ratio. */
  projection100k: { floorMin: number; projectedMin: number };
}

export async function benchReminderPass(opts: { employees: number; redisUrl: string }): Promise<ReminderPassResult> {
  const fake = await startFakeFeishuProcess({ FAKE_ROSTER: `${opts.employees}:b${randomBytes(3).toString('hex')}` });
  const stats = async (): Promise<FakeStats> => (await fetch(`${fake.url}/_fake/stats`)).json() as Promise<FakeStats>;
  const appId = `cli_bench${randomBytes(5).toString('hex')}`;
  const config = loadConfig({
    FEISHU_APP_ID: appId,
    FEISHU_APP_SECRET: 'secret',
    FEISHU_VERIFICATION_TOKEN: 'bench-verification-token',
    FEISHU_BASE_URL: fake.url,
    REDIS_URL: opts.redisUrl,
    LOG_LEVEL: 'silent',
  });
  const store = createStore(config.redisUrl, { autoPipelining: true });
  const keys = storeKeys(appId);
  const metrics = createMetrics();
  // BENCH_LOG_LEVEL=warn shows retries, failed pushes and pass-job attempts on stderr.
  const logger = process.env.BENCH_LOG_LEVEL ? createLogger(process.env.BENCH_LOG_LEVEL, 2) : silentLogger;
  const feishu = feishuClientFor(config, { store, logger, metrics });
  const deps = { config, store, keys, api: feishu.api, delivery: createOwnerDelivery({ store, keys, messenger: feishu.messenger }), i18n: createI18n(), logger, metrics };
  const runner = createBullReminderRunner({ ...deps, config: { ...config, reminders: { ...config.reminders, enabled: false } } }, { url: opts.redisUrl, prefix: `hrbot:${appId}:bull` });
  await feishu.token.get(); // the token is not part of the pass
  const pushJobs = new Queue(PUSH_QUEUE_NAME, { connection: { url: opts.redisUrl }, prefix: `hrbot:${appId}:bull` });
  const loadStart = loadavg()[0]!;
  try {
    await runner.startWorker();
    const started = Date.now();
    const pass = await runner.start();
    if (!pass.started) throw new Error('a pass was already running');
    // The pass holds its lock until its last push has settled.
    const running = () => store.get(keys.reminderPassLock()).catch(() => 'unknown (store busy)');
    let maxQueued = 0;
    while (await running()) {
      const counts = await pushJobs.getJobCounts('wait', 'active', 'delayed', 'prioritized');
      maxQueued = Math.max(maxQueued, Object.values(counts).reduce((a, b) => a + b, 0));
      await new Promise((r) => setTimeout(r, 100));
    }
    const durationMs = Date.now() - started;
    const seen = await stats();
    // Cards still arriving after the pass let go of its lock would mean it ended too early.
    await new Promise((r) => setTimeout(r, 3000));
    const cardsAfterEnd = (await stats()).sent - seen.sent;
    const sent = seen.sent;
    const pages = seen.hr.balancePages;
    const floorMs = Math.max(sent * 60, Math.ceil(opts.employees / 100) * 600);
    const ratio = durationMs / floorMs;
    const floor100k = Math.max(100_000 * (sent / opts.employees) * 60, 1000 * 600);
    return {
      employees: opts.employees,
      sent,
      pages,
      durationMs,
      floorMs,
      ratio: Number(ratio.toFixed(3)),
      rateLimited: { sends: seen.rateLimited, hr: seen.hr.rateLimited },
      duplicates: seen.duplicates,
      expireRecordCalls: seen.hr.expireRecords,
      maxQueued,
      due: opts.employees - Math.floor(opts.employees / 10),
      cardsAfterEnd,
      timeline: {
        firstCardMs: (seen.firstSentAt ?? started) - started,
        sendingMs: (seen.lastSentAt ?? started) - (seen.firstSentAt ?? started),
        windDownMs: started + durationMs - (seen.lastSentAt ?? started),
      },
      loadAverage: { start: Number(loadStart.toFixed(2)), end: Number(loadavg()[0]!.toFixed(2)) },
      projection100k: { floorMin: Number((floor100k / 60_000).toFixed(1)), projectedMin: Number(((floor100k * ratio) / 60_000).toFixed(1)) },
    };
  } finally {
    await pushJobs.close();
    await runner.close();
    await store.close();
    fake.child.kill('SIGTERM');
    // The run's keys (reminded marks live 45 days otherwise) go from a Redis others share.
    await deleteKeysWithPrefixes(opts.redisUrl, [`hrbot:${appId}:`]);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchReminderPass({
    employees: Number(process.env.BENCH_EMPLOYEES ?? 2000),
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  });
  console.log(JSON.stringify(result, null, 2));
}
