import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { syntheticRoster } from '../../bench/roster.js';
import { createMemoryQueue } from '../../src/jobs/memory.js';
import { silentLogger } from '../../src/log.js';
import { runReminderPass, zeroCounts } from '../../src/reminders/pass.js';
import { createReminderPushProcessor } from '../../src/reminders/push.js';
import type { Store } from '../../src/store/types.js';
import { reminderPeriod } from '../../src/reminders/period.js';
import { PUSH_QUEUE_NAME } from '../../src/reminders/runner.js';
import { deleteKeysWithPrefixes } from '../support/redis-cleanup.js';
import { cardText, limitsExceeded, reminderSetup, type ReminderSetup } from './support.js';

const url = process.env.TEST_REDIS_URL!;
const prefixes: string[] = [];
let setup: ReminderSetup | undefined;
afterEach(async () => {
  await setup?.close();
  setup = undefined;
});
afterAll(() => deleteKeysWithPrefixes(url, prefixes));

async function start(n: number, tag = randomUUID().slice(0, 6)) {
  const roster = syntheticRoster(n, tag, new Date());
  setup = await reminderSetup(roster);
  prefixes.push(`hrbot:${setup.config.feishu.appId}`);
  const period = reminderPeriod(setup.config.reminders.cron, setup.config.timeZone, new Date());
  return { roster, period, ...setup };
}

describe('a reminder pass', () => {
  it('300 employees: exactly one card to each due person (push jobs on BullMQ), in their language, with the grants expiring within 60 days; the call log never exceeds a limit', { timeout: 120_000 }, async () => {
    const { roster, period, fake, deps, pushQueue, config } = await start(300);
    const optedOut = roster[1]!.openId;
    const english = roster[8]!.openId; // annual and compensatory grants expiring soon
    await deps.store.addToSet(deps.keys.reminderOptOuts(), optedOut);
    await deps.store.set(deps.keys.userLocale(english), 'en-US');

    const summary = await runReminderPass(deps, { passId: 'pass-a', period, push: pushQueue('bullmq') });

    const zero = roster.filter((_, i) => i % 10 === 9).map((e) => e.openId);
    const due = roster.map((e) => e.openId).filter((id) => id !== optedOut && !zero.includes(id));
    const delivered = fake.delivered();
    expect(summary.failures).toEqual({});
    expect(delivered.map((r) => r.receiver).sort()).toEqual([...due].sort());
    expect(new Set(delivered.map((r) => r.uuid)).size).toBe(delivered.length);
    expect(summary).toMatchObject({ pages: 3, employees: 300, due: due.length, sent: due.length, failed: 0 });
    expect(summary.skipped).toEqual({ optedOut: 1, zeroBalance: zero.length, alreadyReminded: 0 });
    // One walk of the report; at most two expire-record calls per person.
    expect(fake.hrCalls().balancePages).toBe(3);
    expect(fake.hrCalls().expireRecords).toBeLessThanOrEqual(2 * due.length);
    // Feishu's published limits held in every window (refused calls counted too): no 429 at all.
    expect(limitsExceeded(fake.calls())).toEqual([]);
    expect(fake.rateLimited() + fake.hrCalls().rateLimited).toBe(0);
    // Push jobs are removed once done: nothing of the pass stays queued.
    const inspect = new Queue(PUSH_QUEUE_NAME, { connection: { url }, prefix: `hrbot:${config.feishu.appId}:bull` });
    try {
      expect(await inspect.getJobCounts('wait', 'active', 'delayed', 'completed', 'failed')).toEqual({ wait: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
    } finally {
      await inspect.close();
    }

    const cardFor = (openId: string) => cardText(delivered.find((r) => r.receiver === openId)!.content);
    const en = cardFor(english);
    expect(en).toContain('Annual Leave');
    expect(en).toMatch(/3\.5 days of Annual Leave expire on/);
    expect(en).toMatch(/1 day of Compensatory Leave expire on/);
    expect(en).toContain('Stop these reminders');
    const zh = cardFor(roster[4]!.openId); // annual grant expiring soon; the 120-day one is not named
    expect(zh).toContain('即将过期');
    expect(zh).toMatch(/年假 3\.5 天将于/);
    expect(zh).not.toMatch(/年假 2 天将于/);
    const plain = cardFor(roster[3]!.openId); // nothing expiring
    expect(plain).toContain('年假');
    expect(plain).not.toContain('即将过期');
  });

  it('sends nothing new when run again in the same period', async () => {
    const { period, fake, deps, pushQueue } = await start(40);
    const push = pushQueue('memory');
    const first = await runReminderPass(deps, { passId: 'pass-1', period, push });
    const second = await runReminderPass(deps, { passId: 'pass-2', period, push });
    expect(first.sent).toBe(36);
    expect(second).toMatchObject({ due: 0, sent: 0, failed: 0 });
    expect(second.skipped.alreadyReminded).toBe(36);
    expect(fake.receipts.filter((r) => r.outcome !== 'rate_limited')).toHaveLength(36);
  });

  it('checkpoints as pages settle; resumed from a checkpoint it reads only the pages after it and sends nobody twice', { timeout: 120_000 }, async () => {
    const { period, fake, deps, pushQueue } = await start(250);
    const push = pushQueue('memory');
    const checkpoints: Array<{ cursor: string | undefined; pages: number; sent: number }> = [];
    const full = await runReminderPass(deps, {
      passId: 'pass-c',
      period,
      push,
      onCheckpoint: async (cp) => void checkpoints.push({ cursor: cp.cursor, pages: cp.counts.pages, sent: cp.counts.sent }),
    });
    expect(full).toMatchObject({ pages: 3, employees: 250, due: 225, sent: 225 });
    // Each checkpoint names the first page not settled and counts exactly the pages before it.
    for (const cp of checkpoints) expect(cp.cursor).toBe(cp.pages < 3 ? String(cp.pages * 100) : undefined);
    expect(checkpoints.at(-1)).toEqual({ cursor: undefined, pages: 3, sent: 225 });

    // The same pass resumed at its third page (as after a crash): the page is read again, its
    // people were served by this pass already, so they count as sent and nothing goes out.
    const pagesBefore = fake.hrCalls().balancePages;
    const sentBefore = fake.receipts.length;
    const resumed = await runReminderPass(deps, { passId: 'pass-c', period, push, resume: { cursor: '200', startedAt: Date.now(), counts: zeroCounts() } });
    expect(fake.hrCalls().balancePages - pagesBefore).toBe(1);
    expect(fake.receipts.length).toBe(sentBefore);
    expect(resumed).toMatchObject({ pages: 1, employees: 50, due: 45, sent: 45, failed: 0 });
    // A checkpoint after the last page: nothing left to read or send.
    const finished = await runReminderPass(deps, { passId: 'pass-c', period, push, resume: { cursor: undefined, startedAt: Date.now(), counts: { ...zeroCounts(), pages: 3 } } });
    expect(finished).toMatchObject({ pages: 3, due: 0, sent: 0 });
    expect(fake.hrCalls().balancePages - pagesBefore).toBe(1);
  });

  for (const kind of ['memory', 'bullmq'] as const) {
    it(`counts a person whose card could not be sent as failed, and serves them in the next pass of the period (${kind} push queue)`, async () => {
      const { roster, period, fake, deps, pushQueue } = await start(12);
      const push = pushQueue(kind);
      const unlucky = roster[2]!.openId;
      fake.unreachable.add(unlucky);
      const first = await runReminderPass(deps, { passId: 'pass-f1', period, push });
      expect(first).toMatchObject({ due: 11, sent: 10, failed: 1, failures: { 'feishu:im.message.create:230013': 1 } });
      fake.unreachable.delete(unlucky);
      // BullMQ keeps the failed push job (ids and the code); the next pass replaces it.
      const second = await runReminderPass(deps, { passId: 'pass-f2', period, push });
      expect(second).toMatchObject({ due: 1, sent: 1, failed: 0 });
      expect(fake.delivered().filter((r) => r.receiver === unlucky)).toHaveLength(1);
    });
  }

  it('a store that fails a push job once (the mark after the send timed out) is retried: one card, counted sent', async () => {
    const { roster, period, fake, deps } = await start(12);
    const unlucky = roster[3]!.openId;
    let failOnce = true;
    const flaky: Store = {
      ...deps.store,
      async set(key, value, opts) {
        if (failOnce && key === deps.keys.reminded(period, unlucky)) {
          failOnce = false;
          throw new Error('Redis command timed out');
        }
        return deps.store.set(key, value, opts);
      },
    };
    const push = createMemoryQueue({ logger: silentLogger, concurrency: 4, backoffMs: 50 });
    push.startWorker(createReminderPushProcessor({ ...deps, store: flaky }));
    try {
      const summary = await runReminderPass({ ...deps, store: flaky }, { passId: 'pass-r', period, push });
      expect(failOnce).toBe(false);
      expect(summary).toMatchObject({ due: 11, sent: 11, failed: 0 });
      // The retry sent again with the same uuid, which Feishu drops: one card.
      expect(fake.delivered().filter((r) => r.receiver === unlucky)).toHaveLength(1);
      expect(fake.receipts.filter((r) => r.receiver === unlucky && r.outcome === 'duplicate')).toHaveLength(1);
    } finally {
      await push.close();
    }
  });
});
