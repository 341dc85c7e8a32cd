import { randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { Cron } from 'croner';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { createBullQueue } from '../jobs/bullmq.js';
import { createMemoryQueue } from '../jobs/memory.js';
import { failureCode } from '../jobs/runner.js';
import { errorSummary } from '../log.js';
import { claimPass, passIdOfLock, takeOverPass, type PassLease } from './lease.js';
import { PassCounts, PassSuperseded, runReminderPass, type PassSummary, type ReminderDeps } from './pass.js';
import { reminderPeriod } from './period.js';
import { createReminderPushProcessor } from './push.js';

/** How often a running pass renews its lock (and its queue job's lock). */
const LOCK_RENEW_MS = 15_000;
/** The one Job Scheduler of the reminder queue (idempotent across instances). */
export const SCHEDULER_ID = 'balance-reminders';
const QUEUE_NAME = 'reminders';
/** The queue of push jobs, one per due person and period. */
export const PUSH_QUEUE_NAME = 'reminder-push';
/**
 * Push jobs one process works at once. Each waits for its limiter slots (reserved in the
 * store for all instances), so this bounds how far ahead sends are booked: 32 × 62 ms, about
 * two seconds, which is also the most an interactive reply waits behind a pass. It is also
 * the slack that keeps a send booked at every moment when look-ups and sends are slow (a
 * busy machine): with 16 the bench's pass fell 10 % behind the send rate at a load of 15.
 */
export const PUSH_CONCURRENCY = 32;

/** What starting a pass answers: its id, or that one is already running (its id when known). */
export type StartResult = { started: true; passId: string; done?: Promise<unknown> } | { started: false; passId: string | undefined };

/**
 * Runs reminder passes: on the schedule (`REMINDER_CRON` in `REMINDER_TIMEZONE`), and on
 * demand (`POST /admin/reminders/run`, `remind --once`). One pass at a time across every
 * instance (a lock in the store, renewed while the pass runs).
 */
export interface ReminderRunner {
  readonly kind: 'memory' | 'bullmq';
  /** Starts a pass in the background unless one runs. */
  start(): Promise<StartResult>;
  /** Runs a pass in this process and resolves with its summary (`remind --once`); undefined when one runs elsewhere. */
  runOnce(onProgress?: (s: PassSummary) => void): Promise<PassSummary | undefined>;
  /** Registers (or, with REMINDER_ENABLED=false, removes) the schedule and works passes (roles all, worker). */
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

const newPassId = (period: string) => `pass-${period}-${Date.now().toString(36)}`;

/**
 * Keeps the lease (and, given, the queue job's own lock) alive while `work` runs. A renewal
 * that finds the lease gone leaves it to the pass's fencing check to stop the work.
 */
async function holdingLease<T>(lease: PassLease, work: () => Promise<T>, renewEveryMs = LOCK_RENEW_MS, alsoRenew?: () => Promise<unknown>): Promise<T> {
  const timer = setInterval(() => {
    void lease.renew().catch(() => undefined);
    void alsoRenew?.().catch(() => undefined);
  }, renewEveryMs);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** Who holds the pass lock now (for a 409). */
async function runningPassId(deps: ReminderDeps): Promise<string | undefined> {
  return passIdOfLock(await deps.store.get(deps.keys.reminderPassLock()));
}

function logSummary(deps: ReminderDeps, s: PassSummary): void {
  const { failures: _codes, ...counts } = s;
  deps.logger.info({ ...counts, failureCodes: Object.keys(s.failures) }, 'reminder pass finished');
}

/**
 * Without Redis: croner in this process, passes and their push jobs in this process (the
 * in-process queue; one instance, not crash-safe, but a re-run skips everybody already
 * reminded). `remind --once` uses it with Redis too: the pass then runs in the CLI process.
 */
export function createMemoryReminderRunner(deps: ReminderDeps): ReminderRunner {
  let cron: Cron | undefined;
  const running = new Set<Promise<unknown>>();
  const now = () => deps.now?.() ?? new Date();
  const push = createMemoryQueue({ logger: deps.logger, concurrency: PUSH_CONCURRENCY });
  push.startWorker(createReminderPushProcessor(deps));

  async function runOnce(onProgress?: (s: PassSummary) => void): Promise<PassSummary | undefined> {
    const period = reminderPeriod(deps.config.reminders.cron, deps.config.timeZone, now());
    const passId = newPassId(period);
    const lease = await claimPass(deps.store, deps.keys, passId);
    if (!lease) return undefined;
    return runHeld(lease, period, onProgress);
  }

  /** Runs the pass of `lease` here; lets go of the lock when done or failed (nobody resumes an in-process pass). */
  async function runHeld(lease: PassLease, period: string, onProgress?: (s: PassSummary) => void): Promise<PassSummary> {
    try {
      const summary = await holdingLease(lease, () => runReminderPass(deps, { passId: lease.passId, period, push, onProgress, fence: () => lease.holds() }));
      logSummary(deps, summary);
      await lease.release();
      return summary;
    } catch (err) {
      if (err instanceof PassSuperseded) deps.logger.warn({ passId: lease.passId }, 'reminder pass superseded');
      else await lease.release().catch(() => undefined);
      throw err;
    }
  }

  return {
    kind: 'memory',
    async start() {
      const period = reminderPeriod(deps.config.reminders.cron, deps.config.timeZone, now());
      const passId = newPassId(period);
      const lease = await claimPass(deps.store, deps.keys, passId);
      if (!lease) return { started: false, passId: await runningPassId(deps) };
      const work = runHeld(lease, period)
        .catch((err: unknown) => deps.logger.error({ passId, err: errorSummary(err, { message: false }) }, 'reminder pass failed'))
        .finally(() => running.delete(work));
      running.add(work);
      return { started: true, passId, done: work };
    },
    runOnce,
    async startWorker() {
      if (!deps.config.reminders.enabled || cron) return;
      cron = new Cron(deps.config.reminders.cron, { timezone: deps.config.timeZone, protect: true }, async () => {
        const result = await this.start().catch(() => undefined);
        deps.logger.info({ started: result?.started, passId: result?.passId }, 'scheduled reminder pass');
      });
    },
    async close() {
      cron?.stop();
      await Promise.allSettled([...running]);
      await push.close();
    },
  };
}

/** A pass job's data: ids, the page cursor, and (once checkpointed) the counts before it. No HR data. */
const PassJobData = z.object({
  passId: z.string().min(1),
  period: z.string().min(1),
  cursor: z.string().optional(),
  startedAt: z.number().optional(),
  counts: PassCounts.optional(),
});

export interface BullReminderOptions {
  url: string;
  /** Same prefix as the work queue (`hrbot:<appId>:bull`). */
  prefix: string;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Pass and tick jobs one instance works at once (default 2). */
  concurrency?: number;
}

/** How long a pass job's queue lock lasts unrenewed. */
const PASS_JOB_LOCK_MS = 30_000;

/**
 * With Redis: a BullMQ Job Scheduler fires a `tick` per cron occurrence (one scheduler,
 * however many instances upsert it); a tick or an admin call queues a `pass` job whose data
 * holds ids, the page cursor and the counts so far, checkpointed as pages settle, so a pass
 * whose worker died resumes at its first unsettled page on any instance. The pass job queues
 * one push job per due person on the `reminder-push` queue (job id per person and period),
 * worked by every instance's push worker. Completed jobs are removed; failed ones keep ids
 * and the error code.
 */
export function createBullReminderRunner(deps: ReminderDeps, opts: BullReminderOptions): ReminderRunner {
  const connection = new Redis(opts.url, { maxRetriesPerRequest: null });
  connection.on('error', (err) => deps.logger.warn({ err: errorSummary(err) }, 'reminder queue redis error'));
  const queue = new Queue(QUEUE_NAME, {
    connection,
    prefix: opts.prefix,
    defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } },
  });
  queue.on('error', (err) => deps.logger.warn({ err: errorSummary(err) }, 'reminder queue error'));
  const push = createBullQueue({
    url: opts.url,
    prefix: opts.prefix,
    logger: deps.logger,
    queueName: PUSH_QUEUE_NAME,
    concurrency: PUSH_CONCURRENCY,
    lockDurationMs: opts.lockDurationMs,
    stalledIntervalMs: opts.stalledIntervalMs,
  });
  let worker: Worker | undefined;
  let workerConnection: Redis | undefined;
  const now = () => deps.now?.() ?? new Date();
  const memory = createMemoryReminderRunner(deps);

  async function start(): Promise<StartResult> {
    const period = reminderPeriod(deps.config.reminders.cron, deps.config.timeZone, now());
    const passId = newPassId(period);
    // Held from now on, so that a second start answers 409; the job's execution takes it over.
    const lease = await claimPass(deps.store, deps.keys, passId, 'queued');
    if (!lease) return { started: false, passId: await runningPassId(deps) };
    try {
      await queue.add('pass', { passId, period }, { jobId: passId });
    } catch (err) {
      await lease.release().catch(() => undefined);
      throw err;
    }
    return { started: true, passId };
  }

  /**
   * One execution of a pass job. It takes the pass lock over with its own delivery token
   * (fencing: an earlier execution of the same job, still running after its queue lock
   * lapsed, is thereby superseded and stops at its next step), resumes from the checkpoint
   * the lock holds (or the job's copy, if the lock lapsed), and writes every checkpoint as a
   * compare-and-set on its token before copying it into the job's data. Only the execution
   * holding the lock reports the pass and lets go of it, after the last push settled.
   */
  async function processPass(job: Job, token: string | undefined, signal: AbortSignal | undefined): Promise<void> {
    const parsed = PassJobData.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError('invalid_job_data');
    const { passId, period } = parsed.data;
    const execution = token ?? `local-${randomUUID()}`;
    const fromJob = parsed.data.counts ? { cursor: parsed.data.cursor, startedAt: parsed.data.startedAt ?? Date.now(), counts: parsed.data.counts } : undefined;
    const lease = await takeOverPass(deps.store, deps.keys, passId, execution, fromJob);
    if (!lease) throw new UnrecoverableError('another_pass_running');
    if (lease.checkpoint) deps.logger.info({ passId, cursor: lease.checkpoint.cursor, pages: lease.checkpoint.counts.pages }, 'reminder pass resumed');
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const lockDuration = opts.lockDurationMs ?? PASS_JOB_LOCK_MS;
    try {
      const summary = await holdingLease(
        lease,
        () =>
          runReminderPass(deps, {
            passId,
            period,
            push,
            resume: lease.checkpoint,
            signal,
            fence: () => lease.holds(),
            onCheckpoint: async (cp) => {
              // A store that does not answer skips this checkpoint (a later one covers it); the
              // fencing check before the next step still stops a superseded execution.
              const saved = await lease.save(cp).catch(() => undefined);
              if (saved === false) return false;
              if (saved === undefined) return true;
              // A copy in the job, for inspection and for a resume after the lock lapsed.
              await job
                .updateData({ passId, period, ...(cp.cursor === undefined ? {} : { cursor: cp.cursor }), startedAt: cp.startedAt, counts: cp.counts })
                .catch(() => undefined);
              return true;
            },
          }),
        // The queue lock is renewed here too: BullMQ tracks running jobs by id, so when a
        // superseded execution of this job ends, BullMQ stops renewing the current one's.
        Math.min(LOCK_RENEW_MS, Math.floor(lockDuration / 3)),
        token ? () => job.extendLock(token, lockDuration) : undefined,
      );
      logSummary(deps, summary);
      await lease.release();
    } catch (err) {
      if (err instanceof PassSuperseded) {
        // Another execution holds the pass now: nothing of ours may touch it any more.
        deps.logger.warn({ passId, jobId: job.id }, 'reminder pass superseded');
        throw new UnrecoverableError('pass_superseded');
      }
      if (signal?.aborted) {
        // Shutdown: back to the queue, resumed from the checkpoint by whichever instance is next.
        await job.moveToWait(token);
        throw new WaitingError();
      }
      // Failed for good: let go of the lock. A failed attempt that will be retried keeps it
      // (with the checkpoint); it lapses if nobody retries.
      if (last) await lease.release().catch(() => undefined);
      // Only a code reaches Redis (failedReason), never an error's text.
      throw new Error(failureCode(err));
    }
  }

  return {
    kind: 'bullmq',
    start,
    runOnce: (onProgress) => memory.runOnce(onProgress),
    async startWorker() {
      if (deps.config.reminders.enabled) {
        await queue.upsertJobScheduler(
          SCHEDULER_ID,
          { pattern: deps.config.reminders.cron, tz: deps.config.timeZone },
          { name: 'tick', data: {}, opts: { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } } },
        );
      } else {
        await queue.removeJobScheduler(SCHEDULER_ID);
      }
      if (worker) return;
      push.startWorker(createReminderPushProcessor(deps));
      worker = new Worker(
        QUEUE_NAME,
        async (job: Job, token?: string, signal?: AbortSignal) => {
          if (job.name === 'tick') {
            const result = await start();
            deps.logger.info({ started: result.started, passId: result.passId }, 'scheduled reminder pass');
            return;
          }
          await processPass(job, token, signal);
        },
        {
          connection: (workerConnection = new Redis(opts.url, { maxRetriesPerRequest: null })),
          prefix: opts.prefix,
          concurrency: opts.concurrency ?? 2,
          lockDuration: opts.lockDurationMs ?? PASS_JOB_LOCK_MS,
          stalledInterval: opts.stalledIntervalMs ?? 30_000,
          // A pass job given out again is taken over (see processPass), not failed.
          maxStalledCount: 3,
        },
      );
      worker.on('error', (err) => deps.logger.warn({ err: errorSummary(err) }, 'reminder worker error'));
    },
    async close() {
      if (worker) {
        worker.cancelAllJobs('shutdown');
        await worker.close();
      }
      await workerConnection?.quit().catch(() => workerConnection?.disconnect());
      await push.close();
      await memory.close();
      await queue.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
