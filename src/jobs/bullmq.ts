import { Queue, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { errorSummary, type Logger } from '../log.js';
import { DEDUPE_TTL_MS } from '../intake/dedupe.js';
import {
  DEFAULT_QUEUE_OPTIONS,
  JobFailure,
  JobHandedBack,
  failedRecord,
  isQuestionJob,
  jobIdOf,
  parseJob,
  personOf,
  type EnqueueOptions,
  type JobProcessor,
  type WorkQueue,
  type WorkQueueOptions,
} from './types.js';

export interface BullQueueOptions extends WorkQueueOptions {
  url: string;
  logger: Logger;
  /** Key prefix of every BullMQ key (tests: unique per test). Default `hrbot:<appId>:bull`. */
  prefix: string;
  queueName?: string;
  /** How long a worker's claim on a job lasts unrenewed; a killed worker's jobs come back after it. */
  lockDurationMs?: number;
  /** How often a worker looks for stalled jobs (a dead worker's). */
  stalledIntervalMs?: number;
  /** Failed jobs (ids and codes only) are kept this long for inspection. */
  keepFailedSeconds?: number;
}

/** A job may stall (its worker died) this often before it is failed instead of re-run. */
const MAX_STALLED_COUNT = 3;
/** The code kept and logged for a job failed by BullMQ's stall limit. */
export const STALLED_OUT_CODE = 'stalled_out';
/** Failed jobs read per page when looking for unsettled ones at start. */
const SCRUB_PAGE = 200;
/** BullMQ's largest priority. */
const MAX_PRIORITY = 2_097_152;
/** Turns are kept among the last this many jobs the process queued (see `createTurns`). */
export const TURN_WINDOW = 100;
/**
 * A message once started is marked this long (by its job's timestamp), so that a later
 * copy of it (Feishu's retry after the first job finished and was removed) is dropped.
 * Feishu retries for about 7.1 h; the intake's own markers last as long.
 */
const STARTED_MARK_TTL_MS = DEDUPE_TTL_MS;

/**
 * People take turns without a Redis round trip: among the last `window` jobs this process
 * queued, a person's first goes to BullMQ's plain FIFO list (which workers drain before any
 * prioritized job) and their k-th more gets priority k. So one person's burst lines up
 * behind everybody else's first job, while jobs of people further apart than the window
 * are already in turn by arrival and cost BullMQ no priority bookkeeping. Each web process
 * keeps its own window.
 *
 * @example
 * const turnOf = createTurns(100)
 * turnOf('ou_a') // 0: plain
 * turnOf('ou_a') // 1: behind everybody's first
 */
export function createTurns(window = TURN_WINDOW): (person: string) => number {
  const recent: string[] = [];
  const counts = new Map<string, number>();
  return (person) => {
    const earlier = counts.get(person) ?? 0;
    counts.set(person, earlier + 1);
    recent.push(person);
    if (recent.length > window) {
      const old = recent.shift()!;
      const left = (counts.get(old) ?? 1) - 1;
      if (left > 0) counts.set(old, left);
      else counts.delete(old);
    }
    return Math.min(MAX_PRIORITY, earlier);
  };
}

function connect(url: string): Redis {
  // BullMQ needs maxRetriesPerRequest: null (blocking commands must not be cut short).
  return new Redis(url, { maxRetriesPerRequest: null, enableAutoPipelining: true });
}

/**
 * Deferred work on BullMQ: durable, shared by every instance on one Redis, exactly once
 * per job id. A crashed worker's jobs are re-run by any instance once its lock lapses
 * (stalled-job recovery); sends carry uuids derived from the message, so a re-run never
 * answers twice. A message is taken in once: a copy is dropped by its job id while the
 * first job is queued or running, and by the first job's started mark after that (so the
 * intake needs no claim of its own). People take turns (`createTurns`).
 *
 * Completed jobs are removed at once; failed jobs keep only ids and an error code.
 *
 * @example
 * const queue = createBullQueue({ url, prefix: 'hrbot:cli_x:bull', logger })
 * queue.startWorker(processor)
 */
export function createBullQueue(opts: BullQueueOptions): WorkQueue {
  const { concurrency, attempts, backoffMs } = { ...DEFAULT_QUEUE_OPTIONS, ...opts };
  const name = opts.queueName ?? 'work';
  const connection = connect(opts.url);
  connection.on('error', (err) => opts.logger.warn({ err: errorSummary(err) }, 'queue redis error'));
  const queue = new Queue(name, {
    connection,
    prefix: opts.prefix,
    defaultJobOptions: {
      attempts,
      backoff: { type: 'exponential', delay: backoffMs },
      removeOnComplete: true,
      removeOnFail: { age: opts.keepFailedSeconds ?? 7 * 24 * 3600 },
    },
  });
  queue.on('error', (err) => opts.logger.warn({ err: errorSummary(err) }, 'queue error'));
  const startedKey = (messageId: string) => `${opts.prefix}:${name}:started:${messageId}`;
  const turnOf = createTurns();
  let worker: Worker | undefined;
  let workerConnection: Redis | undefined;
  let running = 0;

  /**
   * Whether this job is the one that answers its message: the first job of the message to
   * start marks it with its own timestamp; the same job run again (retry, stalled, handed
   * back) finds its own mark, a later job of the same message someone else's. One command
   * in the common case.
   */
  async function answersMessage(job: Job, messageId: string): Promise<boolean> {
    const mark = String(job.timestamp);
    const key = startedKey(messageId);
    if ((await connection.set(key, mark, 'PX', STARTED_MARK_TTL_MS, 'NX')) === 'OK') return true;
    const found = await connection.get(key);
    return found === null || found === mark;
  }

  /**
   * A job waiting for a later time than `dueAt` is brought forward to it. `add` keeps an
   * existing job as it is, so this looks the job up; a job that left the delayed set
   * meanwhile (due, running, done) is left alone.
   */
  async function bringForward(id: string, delayMs: number): Promise<void> {
    const existing = await queue.getJob(id);
    if (!existing || !(await existing.isDelayed())) return;
    if (existing.timestamp + existing.delay <= Date.now() + delayMs) return;
    try {
      if (delayMs > 0) await existing.changeDelay(delayMs);
      else await existing.promote();
    } catch {
      // It became due or ran in between: nothing to bring forward.
    }
  }

  async function processJob(processor: JobProcessor, job: Job, token: string | undefined, signal: AbortSignal | undefined): Promise<void> {
    const data = parseJob(job.data);
    if (!data) {
      await job.updateData({ code: 'invalid_job_data' });
      throw new UnrecoverableError('invalid_job_data');
    }
    if (data.kind === 'message' && !(await answersMessage(job, data.msg.messageId))) {
      processor.duplicate?.(data);
      return;
    }
    running++;
    try {
      await processor.run(data, signal ?? new AbortController().signal);
    } catch (err) {
      if (err instanceof JobHandedBack) {
        await job.moveToWait(token);
        throw new WaitingError();
      }
      const failure = err instanceof JobFailure ? err : new JobFailure('internal', false);
      const final = !failure.retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (!final) {
        opts.logger.warn({ jobId: job.id, attempt: job.attemptsMade + 1, code: failure.code }, 'job failed; retrying');
        // Only the code reaches Redis (failedReason, stack): never the error's text.
        throw new Error(failure.code);
      }
      opts.logger.error({ jobId: job.id, attempts: job.attemptsMade + 1, code: failure.code }, 'job failed for good');
      await processor.giveUp(data, failure.code).catch((giveUpErr: unknown) =>
        opts.logger.error({ jobId: job.id, err: errorSummary(giveUpErr, { message: false }) }, 'could not tell the person'),
      );
      // What stays for inspection: ids and the code, no message text, no pay.
      await job.updateData(failedRecord(data, failure.code));
      throw new UnrecoverableError(failure.code);
    } finally {
      running--;
    }
  }

  /**
   * A failed job whose data is still a whole job failed outside `processJob` (BullMQ's stall
   * limit): the person is told as for any job that failed for good, and the job keeps only
   * ids and a code, like every other failed job. Anything else was settled already.
   */
  async function settleFailedOutside(processor: JobProcessor, job: Job): Promise<void> {
    const data = parseJob(job.data);
    if (!data) return;
    opts.logger.error({ jobId: job.id, code: STALLED_OUT_CODE }, 'job failed for good: its workers stopped mid-job too often');
    await processor.giveUp(data, STALLED_OUT_CODE).catch((giveUpErr: unknown) =>
      opts.logger.error({ jobId: job.id, err: errorSummary(giveUpErr, { message: false }) }, 'could not tell the person'),
    );
    await job.updateData(failedRecord(data, STALLED_OUT_CODE)).catch((err: unknown) =>
      opts.logger.warn({ jobId: job.id, err: errorSummary(err, { message: false }) }, 'could not strip a failed job'),
    );
  }

  /**
   * At start: a process that died between BullMQ failing a job and `settleFailedOutside`
   * left the whole job in the failed set; settle those now (sends carry uuids, so a second
   * settling instance does not tell anyone twice).
   */
  async function scrubFailedOutside(processor: JobProcessor): Promise<void> {
    try {
      for (let start = 0; ; start += SCRUB_PAGE) {
        const page = await queue.getFailed(start, start + SCRUB_PAGE - 1);
        for (const job of page) if (job) await settleFailedOutside(processor, job);
        if (page.length < SCRUB_PAGE) return;
      }
    } catch (err) {
      opts.logger.warn({ err: errorSummary(err, { message: false }) }, 'could not look through failed jobs');
    }
  }

  return {
    kind: 'bullmq',
    dropsRepeatedMessages: true,
    async enqueue(job, enqueueOpts?: EnqueueOptions) {
      const parsed = parseJob(job);
      if (!parsed) throw new Error('invalid job data');
      const jobId = jobIdOf(parsed);
      if (enqueueOpts?.retryFailed) {
        // `add` keeps any job with this id as it is, including one kept after failing for good.
        const existing = await queue.getJob(jobId);
        if (existing && (await existing.isFailed())) await existing.remove();
      }
      if (!isQuestionJob(parsed)) {
        // The HR flow's jobs: few, often delayed, so no turn is counted for them (they run first when due).
        const delay = Math.max(0, Math.round(enqueueOpts?.delayMs ?? 0));
        await queue.add(parsed.kind, parsed, { jobId, ...(delay > 0 ? { delay } : {}) });
        await bringForward(jobId, delay);
        return;
      }
      // One round trip: a copy of a job still queued or running is dropped by its id, a copy
      // of a message already started by its started mark (checked when the job starts).
      const priority = turnOf(personOf(parsed));
      await queue.add(parsed.kind, parsed, { jobId, ...(priority > 0 ? { priority } : {}) });
    },
    startWorker(processor) {
      if (worker) return;
      worker = new Worker(
        name,
        // Three parameters: BullMQ passes the abort signal only to processors that take it.
        (job: Job, token?: string, signal?: AbortSignal) => processJob(processor, job, token, signal),
        {
          connection: (workerConnection = connect(opts.url)),
          prefix: opts.prefix,
          concurrency,
          lockDuration: opts.lockDurationMs ?? 30_000,
          stalledInterval: opts.stalledIntervalMs ?? 30_000,
          maxStalledCount: MAX_STALLED_COUNT,
        },
      );
      worker.on('error', (err) => opts.logger.warn({ err: errorSummary(err) }, 'worker error'));
      // A job BullMQ failed itself (its workers died mid-job more than MAX_STALLED_COUNT times:
      // a poison message, a crash loop) never reached processJob's give-up path.
      // BullMQ reports every failed attempt here; only one that finished the job (no retry left) counts.
      worker.on('failed', (job) => {
        if (job?.finishedOn) void settleFailedOutside(processor, job);
      });
      void scrubFailedOutside(processor);
    },
    async close() {
      if (worker) {
        // Running jobs stop waiting and go back to the queue for whichever instance is next.
        worker.cancelAllJobs('shutdown');
        await worker.close();
      }
      await workerConnection?.quit().catch(() => workerConnection?.disconnect());
      await queue.close();
      await connection.quit().catch(() => connection.disconnect());
    },
    running: () => running,
    /**
     * Nothing waiting, running or waiting for a retry anywhere on this queue (tests and
     * tools). Jobs queued with a delay (the HR flow's nudge, expiry and write guard) are
     * not waited for until they are due: only delayed jobs that already ran once count.
     */
    async idle() {
      for (;;) {
        const counts = await queue.getJobCounts('wait', 'active', 'prioritized');
        if (Object.values(counts).every((n) => n === 0) && running === 0) {
          const delayed = await queue.getDelayed();
          if (delayed.every((j) => j.attemptsMade === 0 && j.attemptsStarted === 0)) return;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async ping() {
      await connection.ping();
    },
  };
}
