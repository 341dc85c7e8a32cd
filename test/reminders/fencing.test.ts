/**
 * A pass job that BullMQ hands to a second execution while the first still runs (its lock
 * was not renewed in time: a busy machine, a long pause). Real Redis, real BullMQ, the fake
 * Feishu over HTTP. The lapse is made by deleting the job's BullMQ lock, which is what a
 * missed renewal leaves behind; the stalled-job check then gives the job out again.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { syntheticRoster } from '../../bench/roster.js';
import { createOwnerDelivery } from '../../src/bot/delivery.js';
import { feishuClientFor } from '../../src/feishu/client.js';
import { silentLogger } from '../../src/log.js';
import { createMetrics } from '../../src/metrics.js';
import { createBullReminderRunner, type ReminderRunner } from '../../src/reminders/runner.js';
import { deleteKeysWithPrefixes } from '../support/redis-cleanup.js';
import { reminderSetup, type ReminderSetup } from './support.js';

const url = process.env.TEST_REDIS_URL!;
const cleanup: string[] = [];
const runners: ReminderRunner[] = [];
const redis = new Redis(url, { maxRetriesPerRequest: 1 });
let setup: ReminderSetup | undefined;
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.close()));
  await setup?.close();
  setup = undefined;
});
afterAll(async () => {
  await deleteKeysWithPrefixes(url, cleanup);
  await redis.quit();
});

interface LogLine {
  msg: string;
  [field: string]: unknown;
}

async function start(n: number, concurrency?: number) {
  const roster = syntheticRoster(n, randomUUID().slice(0, 6), new Date());
  setup = await reminderSetup(roster);
  cleanup.push(`hrbot:${setup.config.feishu.appId}:`);
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  const deps = { ...setup.deps, logger };
  const prefix = `hrbot:${setup.config.feishu.appId}:bull`;
  // As the process tests run it: a lapsed lock is noticed within about a second.
  const config = { ...deps.config, reminders: { ...deps.config.reminders, enabled: false } };
  const options = { url, prefix, lockDurationMs: 1000, stalledIntervalMs: 500 };
  const runner = createBullReminderRunner({ ...deps, config }, { ...options, ...(concurrency ? { concurrency } : {}) });
  runners.push(runner);
  /** Another instance: its own Feishu client (reads are shared within one client), the same store and queues. */
  const secondInstance = () => {
    const feishu = feishuClientFor(config, { store: deps.store, logger: silentLogger, metrics: createMetrics() });
    const other = createBullReminderRunner(
      { ...deps, config, api: feishu.api, delivery: createOwnerDelivery({ store: deps.store, keys: deps.keys, messenger: feishu.messenger }) },
      options,
    );
    runners.push(other);
    return other;
  };
  const due = roster.filter((_, i) => i % 10 !== 9).map((e) => e.openId);
  const jobs = new Queue('reminders', { connection: { url }, prefix });
  const lockOf = () => deps.store.get(deps.keys.reminderPassLock());
  return { roster, due, deps, runner, secondInstance, lines, prefix, jobs, lockOf, fake: setup.fake };
}

async function until(check: () => Promise<boolean> | boolean, ms: number, why: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met in time: ${why()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const finished = (lines: LogLine[]) => lines.filter((l) => l.msg === 'reminder pass finished');

describe('a pass job given out twice (its BullMQ lock lapsed)', () => {
  it('two executions of one pass: the newer takes over, the older stops; one card each, one summary, the pass ends only after the last card', { timeout: 120_000 }, async () => {
    const { due, runner, lines, prefix, jobs, lockOf, fake } = await start(300);
    await runner.startWorker();
    const pass = await runner.start();
    if (!pass.started) throw new Error('no pass started');
    const passId = pass.passId;
    try {
      // Once the first page has settled, the job's lock lapses: BullMQ gives the job out again
      // while the first execution is still running.
      await until(async () => ((await jobs.getJob(passId))?.data as { cursor?: string } | undefined)?.cursor === '100', 60_000, () => 'no checkpoint after page 1');
      await redis.del(`${prefix}:reminders:${passId}:lock`);
      await until(async () => ((await jobs.getJob(passId))?.attemptsStarted ?? 0) >= 2, 20_000, () => 'the job was not given out again');

      // The pass is over when its lock is free; every due person has their card by then.
      let cardsWhenFree = -1;
      await until(
        async () => {
          const cards = fake.delivered().length;
          if ((await lockOf()) !== null) return false;
          cardsWhenFree = cards;
          return true;
        },
        90_000,
        () => `${fake.delivered().length}/${due.length} cards`,
      );
      expect(cardsWhenFree).toBe(due.length);
      await new Promise((r) => setTimeout(r, 2500));
      expect(await lockOf()).toBeNull();
      expect(fake.delivered().map((r) => r.receiver).sort()).toEqual([...due].sort());
      // (Sends Feishu dropped by their uuid are not counted: with the 1 s locks of this test a busy
      // machine can also make a push job run twice, which the uuid per person and period absorbs.)
      // One execution reports, with counts that add up.
      const summaries = finished(lines);
      expect(summaries).toHaveLength(1);
      expect(summaries[0]).toMatchObject({ passId, pages: 3, employees: 300, due: due.length, sent: due.length, failed: 0 });
      expect(lines.filter((l) => l.msg === 'reminder pass superseded')).toHaveLength(1);
    } finally {
      await jobs.close();
    }
  });

  it('a stalled execution (stuck in a page fetch while another finished the pass) wakes up and does nothing: no page, no card, no lock, no summary', { timeout: 120_000 }, async () => {
    // This instance works one pass job at a time, so the job given out again goes to the other.
    const { due, runner, secondInstance, lines, prefix, jobs, lockOf, fake } = await start(120, 1);
    const stuck = fake.holdNextPage();
    await runner.startWorker();
    const pass = await runner.start();
    if (!pass.started) throw new Error('no pass started');
    const passId = pass.passId;
    try {
      await stuck.held;
      // The first execution waits for its first page; meanwhile its lock lapses and the job
      // is given out again, to the other instance, which serves everybody and ends the pass.
      await secondInstance().startWorker();
      await redis.del(`${prefix}:reminders:${passId}:lock`);
      await until(async () => fake.delivered().length === due.length && (await lockOf()) === null, 60_000, () => `${fake.delivered().length}/${due.length} cards`);
      expect(finished(lines)).toHaveLength(1);
      const pagesBefore = fake.hrCalls().balancePages;
      expect(pagesBefore).toBe(2);

      // The first execution gets its page now, long after it lost the pass.
      stuck.release();
      await new Promise((r) => setTimeout(r, 3000));
      expect(fake.hrCalls().balancePages - pagesBefore).toBe(1); // the held page itself, nothing more
      expect(fake.delivered().map((r) => r.receiver).sort()).toEqual([...due].sort());
      expect(await lockOf()).toBeNull();
      expect(finished(lines)).toHaveLength(1);
      expect(lines.filter((l) => l.msg === 'reminder pass superseded')).toHaveLength(1);
      // The next pass starts at once: nothing holds the lock.
      const next = await runner.start();
      expect(next.started).toBe(true);
    } finally {
      stuck.release();
      await jobs.close();
    }
  });
});
