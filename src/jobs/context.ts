import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What outbound calls may know about the job they run in, without threading it through
 * every signature: whose job it is (fair turns on scarce APIs) and the signal that hands
 * the job back on shutdown (limiter waits end early).
 */
export interface JobContext {
  /** The person the work is for (open_id). */
  person?: string;
  /** Aborted when the job is to be handed back (shutdown): waits stop, the job is re-queued. */
  signal?: AbortSignal;
  /**
   * Told how long the rate limiter made a call of this job wait for its slot (ms), as soon
   * as the slot is reserved and before the wait: the bot shows progress when it is long.
   */
  onSlotWait?: (delayMs: number) => void;
}

const storage = new AsyncLocalStorage<JobContext>();

/** `runInJob` calls that have not settled yet, nested ones included. */
let running = 0;

/**
 * Runs `work` with `ctx` visible to every call it makes (`currentJob()`).
 *
 * The store is switched on only while some job runs: a store that is on makes V8 call
 * promise hooks for every promise of the process, the webhook's acks included, which costs
 * those acks about a tenth of their throughput. While no job runs (an idle process, or a
 * burst while the intake holds the questions back), nothing pays for it. `run` switches it
 * back on; contexts of jobs still running are never cut, since the last one out switches
 * it off.
 * Work a job starts must settle before the job does (the bot awaits its progress card):
 * what still runs after the last job has settled sees no context.
 *
 * @example
 * await runInJob({ person: msg.senderOpenId, signal }, () => sink.onMessage(msg))
 */
export async function runInJob<T>(ctx: JobContext, work: () => Promise<T>): Promise<T> {
  running += 1;
  try {
    return await storage.run(ctx, work);
  } finally {
    running -= 1;
    if (running === 0) storage.disable();
  }
}

/** The context of the job this code runs in, if any. */
export function currentJob(): JobContext | undefined {
  return storage.getStore();
}
