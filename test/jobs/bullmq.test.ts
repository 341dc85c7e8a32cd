import { randomUUID } from 'node:crypto';
import { Queue, type Job } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { createBullQueue, createTurns } from '../../src/jobs/bullmq.js';
import { silentLogger } from '../../src/log.js';
import { JobFailure, JobHandedBack, refOf, type WorkQueueOptions } from '../../src/jobs/types.js';
import { deleteKeysWithPrefixes } from '../support/redis-cleanup.js';
import { accrualJob, messageJob, runQueueContract, scripted, until } from './queue.contract.js';

const url = process.env.TEST_REDIS_URL!;
const root = `test-jobs:${randomUUID().slice(0, 8)}`;
let n = 0;
const prefixes: string[] = [];
afterAll(() => deleteKeysWithPrefixes(url, [root]));

/** A queue with its own BullMQ prefix: tests share one Redis with each other and with other helpers. */
function bull(opts: WorkQueueOptions & { lockDurationMs?: number; stalledIntervalMs?: number } = {}) {
  const prefix = `${root}:${++n}`;
  prefixes.push(prefix);
  return { prefix, queue: createBullQueue({ url, prefix, logger: silentLogger, ...opts }) };
}

runQueueContract('bullmq', (opts) => bull(opts).queue);

/** The failed jobs BullMQ keeps, polled briefly: the give-up hook runs before BullMQ has moved the job to its failed set. */
async function keptFailures(inspect: Queue): Promise<Job[]> {
  let failed = await inspect.getFailed();
  for (let i = 0; i < 50 && failed.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 20));
    failed = await inspect.getFailed();
  }
  return failed;
}

describe('bullmq queue specifics', () => {
  it('keeps a failed job as ids and an error code only: no message text', async () => {
    const { prefix, queue } = bull({ attempts: 2, backoffMs: 10 });
    const p = scripted(async () => {
      throw new JobFailure('feishu:payroll.paymentDetail:500', true);
    });
    const job = messageJob('ou_private', 'my salary is 12345');
    queue.startWorker(p.processor);
    await queue.enqueue(job);
    await until(() => p.gaveUp.length === 1);
    const inspect = new Queue('work', { connection: { url }, prefix });
    try {
      const failed = await keptFailures(inspect);
      expect(failed).toHaveLength(1);
      const kept = failed[0]!;
      expect(kept.data).toEqual({ kind: 'message', ref: job.msg.messageId, person: 'ou_private', code: 'feishu:payroll.paymentDetail:500' });
      expect(JSON.stringify(kept.toJSON())).not.toContain('12345');
      expect(JSON.stringify(kept.toJSON())).not.toContain('salary');
      expect(kept.failedReason).toBe('feishu:payroll.paymentDetail:500');
      expect(await inspect.getCompletedCount()).toBe(0);
    } finally {
      await inspect.close();
      await queue.close();
    }
  });

  it('removes completed jobs at once', async () => {
    const { prefix, queue } = bull();
    const p = scripted();
    queue.startWorker(p.processor);
    await queue.enqueue(messageJob('ou_done'));
    await until(() => p.runs.length === 1);
    const inspect = new Queue('work', { connection: { url }, prefix });
    try {
      await until(() => p.runs.length === 1);
      await new Promise((r) => setTimeout(r, 100));
      expect(await inspect.getJobCounts('completed', 'failed', 'active', 'wait', 'prioritized')).toEqual({ completed: 0, failed: 0, active: 0, wait: 0, prioritized: 0 });
    } finally {
      await inspect.close();
      await queue.close();
    }
  });

  it('close() hands running jobs back: another instance runs them, no attempt is spent', { timeout: 60_000 }, async () => {
    const { prefix, queue: first } = bull({ attempts: 1 });
    let started = 0;
    const stuck = {
      async run(_job: unknown, signal: AbortSignal) {
        started++;
        // Waiting for a limiter slot, say: only shutdown ends it.
        await new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new JobHandedBack()), { once: true }));
      },
      async giveUp() {
        throw new Error('must not give up');
      },
    };
    first.startWorker(stuck);
    const jobs = [messageJob('ou_x'), messageJob('ou_y')];
    for (const job of jobs) await first.enqueue(job);
    await until(() => started === 2);
    await first.close();

    const second = createBullQueue({ url, prefix, logger: silentLogger, attempts: 1 });
    const p = scripted();
    try {
      second.startWorker(p.processor);
      await until(() => p.runs.length === 2);
      expect(p.runs.sort()).toEqual(jobs.map((j) => j.msg.messageId).sort());
      expect(p.gaveUp).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('a delayed job outlives the process that queued it: a new instance runs it when due', async () => {
    const { prefix, queue: first } = bull();
    const job = accrualJob('accrual.nudge');
    // Queued by an instance that runs no worker, which then stops before the job is due.
    await first.enqueue(job, { delayMs: 600 });
    await first.close();
    const inspect = new Queue('work', { connection: { url }, prefix });
    const second = createBullQueue({ url, prefix, logger: silentLogger });
    try {
      const [kept] = await inspect.getDelayed();
      expect(kept?.id).toBe(`accrual-nudge-${job.editId}-v2`);
      expect(kept?.data).toEqual(job);
      const p = scripted();
      second.startWorker(p.processor);
      await until(() => p.runs.length === 1);
      expect(p.runs).toEqual([refOf(job)]);
    } finally {
      await inspect.close();
      await second.close();
    }
  });

  it('a failed HR-flow job keeps its ids and code only', async () => {
    const { prefix, queue } = bull({ attempts: 1 });
    const p = scripted(async () => {
      throw new JobFailure('feishu:attendance.accrualPatch:500', false);
    });
    const job = accrualJob('accrual.write', 4);
    queue.startWorker(p.processor);
    await queue.enqueue(job);
    await until(() => p.gaveUp.length === 1);
    const inspect = new Queue('work', { connection: { url }, prefix });
    try {
      const failed = await keptFailures(inspect);
      expect(failed[0]?.data).toEqual({ kind: 'accrual.write', ref: `${job.editId}-v4`, person: 'accrual', code: 'feishu:attendance.accrualPatch:500' });
    } finally {
      await inspect.close();
      await queue.close();
    }
  });
});

describe('bullmq: a message is taken in once without an intake claim', () => {
  it('a copy queued after the first job finished (and was removed) is dropped and counted, not answered again', async () => {
    const { queue } = bull();
    expect(queue.dropsRepeatedMessages).toBe(true);
    const p = scripted();
    const duplicates: string[] = [];
    queue.startWorker({ ...p.processor, duplicate: (job) => void duplicates.push(refOf(job)) });
    const job = messageJob('ou_again');
    try {
      await queue.enqueue(job);
      await until(() => p.runs.length === 1);
      await queue.idle!();
      // Feishu's retry of the same message (another event id) after the answer went out.
      await queue.enqueue({ ...job, msg: { ...job.msg, eventId: `${job.msg.eventId}_retry` } });
      await until(() => duplicates.length === 1);
      await queue.idle!();
      expect(p.runs).toEqual([job.msg.messageId]);
      expect(duplicates).toEqual([job.msg.messageId]);
    } finally {
      await queue.close();
    }
  });

  it('the same job run again (a retry after a passing fault) is not taken for a copy', async () => {
    const { queue } = bull({ backoffMs: 10 });
    const p = scripted(async (_job, attempt) => {
      if (attempt === 1) throw new JobFailure('feishu:im.message.reply:500', true);
    });
    const duplicates: string[] = [];
    queue.startWorker({ ...p.processor, duplicate: (job) => void duplicates.push(refOf(job)) });
    const job = messageJob('ou_retry');
    try {
      await queue.enqueue(job);
      await until(() => p.runs.length === 2);
      await queue.idle!();
      expect(p.runs).toEqual([job.msg.messageId, job.msg.messageId]);
      expect(duplicates).toEqual([]);
    } finally {
      await queue.close();
    }
  });

  it('copies queued concurrently by two instances run once', async () => {
    const { prefix, queue: a } = bull();
    const b = createBullQueue({ url, prefix, logger: silentLogger });
    const p = scripted();
    const job = messageJob('ou_twice');
    try {
      await Promise.all([a.enqueue(job), b.enqueue(job), a.enqueue(job), b.enqueue(job)]);
      a.startWorker(p.processor);
      b.startWorker(p.processor);
      await until(() => p.runs.length === 1);
      await a.idle!();
      await new Promise((r) => setTimeout(r, 100));
      expect(p.runs).toEqual([job.msg.messageId]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('turns within the window of recent jobs (createTurns)', () => {
  it("a person's first job in the window is plain, their k-th more gets priority k", () => {
    const turnOf = createTurns(4);
    expect(['a', 'a', 'b', 'a'].map(turnOf)).toEqual([0, 1, 0, 2]);
  });

  it('jobs further apart than the window are in turn by arrival: plain again', () => {
    const turnOf = createTurns(3);
    expect(['a', 'b', 'c', 'd', 'a'].map(turnOf)).toEqual([0, 0, 0, 0, 0]);
    // 'b' left the window of the last three ('c', 'd', 'a') before its second job.
    expect(turnOf('b')).toBe(0);
    expect(turnOf('a')).toBe(1);
  });

  it("one person's burst of thirty lines up behind everybody else's first job (BullMQ)", async () => {
    const { queue } = bull({ concurrency: 1 });
    const p = scripted();
    const burst = Array.from({ length: 30 }, () => messageJob('ou_burst'));
    const others = ['ou_x', 'ou_y', 'ou_z'].map((person) => messageJob(person));
    try {
      for (const job of burst) await queue.enqueue(job);
      for (const job of others) await queue.enqueue(job);
      queue.startWorker(p.processor);
      await until(() => p.runs.length === 33, 20_000);
      // The burst's first job, then everybody else's, then the rest of the burst.
      expect(p.runs.slice(0, 4).sort()).toEqual([burst[0]!.msg.messageId, ...others.map((j) => j.msg.messageId)].sort());
      expect(p.runs.slice(4)).toEqual(burst.slice(1).map((j) => j.msg.messageId));
    } finally {
      await queue.close();
    }
  });
});
