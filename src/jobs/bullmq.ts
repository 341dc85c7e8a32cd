import { Queue, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { errorSummary, type Logger } from '../log.js';
import {
  DEFAULT_QUEUE_OPTIONS,
  JobFailure,
  JobHandedBack,
  failedRecord,
  isAccrualJob,
  jobIdOf,
  parseJob,
  personOf,
  type EnqueueOptions,
  type JobProcessor,
  type WorkJob,
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
/** Per-person turn counters are forgotten after an hour without new work. */
const TURN_TTL_MS = 60 * 60_000;
/** BullMQ's largest priority. */
const MAX_PRIORITY = 2_097_152;

/** Jobs that wait their person's turn (messages and clicks); the HR flow's jobs do not. */
function takesTurns(job: WorkJob): boolean {
  return !isAccrualJob(job) && job.kind !== 'reminder';
}

function connect(url: string): Redis {
  // BullMQ needs maxRetriesPerRequest: null (blocking commands must not be cut short).
  return new Redis(url, { maxRetriesPerRequest: null, enableAutoPipelining: true });
}

/**
 * Deferred work on BullMQ: durable, shared by every instance on one Redis, exactly once
 * per job id. A crashed worker's jobs are re-run by any instance once its lock lapses
 * (stalled-job recovery); sends carry uuids derived from the message, so a re-run never
 * answers twice. People take turns: a job's priority is the person's number of jobs
 * waiting, so everybody's first job runs before anybody's second.
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
  const turnKey = (person: string) => `${opts.prefix}:${name}:turn:${person}`;
  let worker: Worker | undefined;
  let workerConnection: Redis | undefined;
  let running = 0;

  /** The person's place in line: 1 for their first waiting job, 2 for the second… */
  async function turnOf(person: string): Promise<number> {
    const n = await connection.incr(turnKey(person));
    // A counter lives an hour from its first job: a crash's lost decrements cannot linger.
    if (n === 1) await connection.pexpire(turnKey(person), TURN_TTL_MS);
    return Math.min(MAX_PRIORITY, Math.max(1, n));
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
    // Started: no longer waiting, so the person's next job moves up a place.
    if (takesTurns(data) && job.attemptsStarted <= 1) {
      const left = await connection.decr(turnKey(personOf(data)));
      if (left < 0) await connection.del(turnKey(personOf(data))); // the counter had expired meanwhile
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

  return {
    kind: 'bullmq',
    async enqueue(job, enqueueOpts?: EnqueueOptions) {
      const parsed = parseJob(job);
      if (!parsed) throw new Error('invalid job data');
      const jobId = jobIdOf(parsed);
      if (enqueueOpts?.retryFailed) {
        // `add` keeps any job with this id as it is, including one kept after failing for good.
        const existing = await queue.getJob(jobId);
        if (existing && (await existing.isFailed())) await existing.remove();
      }
      if (!takesTurns(parsed)) {
        // The HR flow's jobs: few, often delayed, so no turn is counted for them (they run first when due).
        const delay = Math.max(0, Math.round(enqueueOpts?.delayMs ?? 0));
        await queue.add(parsed.kind, parsed, { jobId, ...(delay > 0 ? { delay } : {}) });
        await bringForward(jobId, delay);
        return;
      }
      const priority = await turnOf(personOf(parsed));
      await queue.add(parsed.kind, parsed, { jobId, priority });
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
