import { setMaxListeners } from 'node:events';
import { errorSummary, type Logger } from '../log.js';
import {
  DEFAULT_QUEUE_OPTIONS,
  JobFailure,
  JobHandedBack,
  jobIdOf,
  parseJob,
  personOf,
  type EnqueueOptions,
  type JobProcessor,
  type WorkJob,
  type WorkQueue,
  type WorkQueueOptions,
} from './types.js';

interface Queued {
  id: string;
  job: WorkJob;
  attempt: number;
}

/** A job queued with a delay, not due yet. */
interface Scheduled {
  item: Queued;
  dueAt: number;
  timer: NodeJS.Timeout;
}

/** setTimeout's longest wait (about 24.8 days); longer delays re-arm. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The in-process queue of memory mode: one instance, NOT crash-safe (what is queued or
 * running dies with the process). Same contract as the BullMQ queue otherwise: people take
 * turns, bounded concurrency, passing faults retried with backoff, then `giveUp`.
 *
 * @example
 * const queue = createMemoryQueue({ logger })
 * queue.startWorker(processor)
 * await queue.enqueue({ kind: 'message', msg })
 */
export function createMemoryQueue(opts: WorkQueueOptions & { logger: Logger }): WorkQueue {
  const { concurrency, attempts, backoffMs } = { ...DEFAULT_QUEUE_OPTIONS, ...opts };
  const lanes = new Map<string, Queued[]>();
  const turns: string[] = [];
  /** Ids queued, running or waiting for a retry: a second enqueue is a no-op. */
  const known = new Set<string>();
  const active = new Set<Promise<void>>();
  const retryTimers = new Set<NodeJS.Timeout>();
  /** Jobs queued with a delay, by id: they join the lanes when due. */
  const scheduled = new Map<string, Scheduled>();
  /** Never aborted: memory mode has nobody to hand a job to, so running jobs finish. */
  const stop = new AbortController();
  // Every running job's limiter waits listen on it (up to `concurrency` × a few at once).
  setMaxListeners(0, stop.signal);
  let processor: JobProcessor | undefined;
  let closing = false;

  function push(item: Queued): void {
    const person = personOf(item.job);
    const lane = lanes.get(person);
    if (lane) lane.push(item);
    else {
      lanes.set(person, [item]);
      turns.push(person);
    }
  }

  /** Round robin: the next person in turn gives up their oldest job. */
  function next(): Queued | undefined {
    const person = turns.shift();
    if (person === undefined) return undefined;
    const lane = lanes.get(person) ?? [];
    const item = lane.shift();
    if (lane.length > 0) turns.push(person);
    else lanes.delete(person);
    return item;
  }

  function pump(): void {
    while (processor && active.size < concurrency) {
      const item = next();
      if (!item) return;
      const running: Promise<void> = attempt(processor, item).finally(() => {
        active.delete(running);
        pump();
      });
      active.add(running);
    }
  }

  async function attempt(p: JobProcessor, item: Queued): Promise<void> {
    try {
      await p.run(item.job, stop.signal);
      known.delete(item.id);
    } catch (err) {
      const failure = err instanceof JobFailure ? err : new JobFailure('internal', false);
      if (err instanceof JobHandedBack) {
        // Memory mode cannot hand work to anyone else: it is lost with the process.
        opts.logger.warn({ jobId: item.id }, 'job stopped by shutdown (memory mode: not resumed)');
        known.delete(item.id);
        return;
      }
      if (failure.retryable && item.attempt + 1 < attempts) {
        const pause = backoffMs * 2 ** item.attempt;
        opts.logger.warn({ jobId: item.id, attempt: item.attempt + 1, code: failure.code, pauseMs: pause }, 'job failed; retrying');
        const timer = setTimeout(() => {
          retryTimers.delete(timer);
          push({ ...item, attempt: item.attempt + 1 });
          pump();
        }, pause);
        retryTimers.add(timer);
        return;
      }
      known.delete(item.id);
      opts.logger.error({ jobId: item.id, attempts: item.attempt + 1, code: failure.code }, 'job failed for good');
      await p.giveUp(item.job, failure.code).catch((giveUpErr: unknown) =>
        opts.logger.error({ jobId: item.id, err: errorSummary(giveUpErr, { message: false }) }, 'could not tell the person'),
      );
    }
  }

  /** Holds `item` until `dueAt`, then queues it. */
  function schedule(item: Queued, dueAt: number): void {
    const timer = setTimeout(() => {
      if (Date.now() < dueAt) return schedule(item, dueAt);
      scheduled.delete(item.id);
      push(item);
      pump();
    }, Math.min(MAX_TIMER_MS, Math.max(0, dueAt - Date.now())));
    // A delayed job alone does not keep the process alive (memory mode loses it on exit anyway).
    // Runtimes whose timers are plain numbers (workerd) have nothing to unref.
    if (typeof timer === 'object') timer.unref();
    scheduled.set(item.id, { item, dueAt, timer });
  }

  return {
    kind: 'memory',
    dropsRepeatedMessages: false,
    /** Failed jobs are not kept here, so `retryFailed` changes nothing: their id is free again. */
    async enqueue(job, opts?: EnqueueOptions) {
      if (closing) throw new Error('queue is closing');
      const parsed = parseJob(job);
      if (!parsed) throw new Error('invalid job data');
      const id = jobIdOf(parsed);
      const delayMs = Math.max(0, opts?.delayMs ?? 0);
      const dueAt = Date.now() + delayMs;
      if (known.has(id)) {
        // Waiting for a later time: bring it forward; anything else stays as it is.
        const waiting = scheduled.get(id);
        if (waiting && dueAt < waiting.dueAt) {
          clearTimeout(waiting.timer);
          scheduled.delete(id);
          if (delayMs > 0) schedule(waiting.item, dueAt);
          else {
            push(waiting.item);
            pump();
          }
        }
        return;
      }
      known.add(id);
      const item = { id, job: parsed, attempt: 0 };
      if (delayMs > 0) return schedule(item, dueAt);
      push(item);
      pump();
    },
    startWorker(p) {
      processor = p;
      pump();
    },
    /** Takes no more jobs and runs what was already accepted (acked work is not dropped). */
    async close() {
      closing = true;
      if (scheduled.size > 0) {
        opts.logger.warn({ jobs: scheduled.size }, 'memory queue closed with delayed jobs not due yet (memory mode is not crash-safe)');
        for (const { item, timer } of scheduled.values()) {
          clearTimeout(timer);
          known.delete(item.id);
        }
        scheduled.clear();
      }
      if (!processor) {
        if (known.size > 0) opts.logger.warn({ jobs: known.size }, 'memory queue closed with jobs never run (memory mode is not crash-safe)');
        return;
      }
      await this.idle?.();
    },
    running: () => active.size,
    async ping() {},
    async idle() {
      while (known.size > scheduled.size || active.size > 0) {
        if (active.size > 0) await Promise.allSettled([...active]);
        else await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
}
