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

/**
 * Runs `work` with `ctx` visible to every call it makes (`currentJob()`).
 *
 * @example
 * await runInJob({ person: msg.senderOpenId, signal }, () => sink.onMessage(msg))
 */
export function runInJob<T>(ctx: JobContext, work: () => Promise<T>): Promise<T> {
  return storage.run(ctx, work);
}

/** The context of the job this code runs in, if any. */
export function currentJob(): JobContext | undefined {
  return storage.getStore();
}
