import type { RateRule, Store } from './types.js';

/**
 * The slot is timed by the store's clock somewhere within our round trip, and the caller
 * before us may have gone up to its own round trip late; a queued caller therefore waits
 * its measured round trip longer (capped), so that lateness never shortens the spacing.
 */
const MAX_LATENESS_PAD_MS = 50;

/**
 * The planned local go of every strictly spaced rule (burst 1), so that calls of this
 * process keep their spacing even when timers fire late; other processes are kept apart
 * by the store and the margins on published limits.
 *
 * `claim` books the next local go at once, before the caller sleeps: when a stalled event
 * loop releases several waiters in one tick, each gets its own later go (T, 2T, …) instead
 * of all of them seeing the same gap to the last call and leaving together after it.
 */
export function createLocalSpacing(maxEntries = 2_000) {
  const nextGo = new Map<string, number>();
  const strict = (rules: readonly RateRule[]) => rules.filter((r) => (r.burst ?? 1) === 1);
  return {
    /** Books the earliest go at or after `at` that keeps every strict rule's spacing; returns the ms to wait for it. */
    claim(rules: readonly RateRule[], at: number): number {
      const spaced = strict(rules);
      if (spaced.length === 0) return 0;
      if (nextGo.size > maxEntries) {
        for (const [key, next] of nextGo) if (next < at) nextGo.delete(key);
      }
      const go = spaced.reduce((latest, r) => Math.max(latest, nextGo.get(r.key) ?? at), at);
      for (const r of spaced) nextGo.set(r.key, go + r.periodMs / r.limit);
      return Math.ceil(go - at);
    },
  };
}

const localSpacing = createLocalSpacing();

/** Thrown by `acquire` when a grant cannot come within `maxWaitMs`. */
export class LimiterTimeoutError extends Error {
  override readonly name = 'LimiterTimeoutError';

  constructor(
    /** Rule keys that were asked for. */
    readonly keys: readonly string[],
    /** What the caller was willing to wait. */
    readonly maxWaitMs: number,
    /** How long the caller would still have had to wait on the last try. */
    readonly retryInMs: number,
  ) {
    super(`rate limit: no grant within ${maxWaitMs} ms for ${keys.join(', ')} (next in ${retryInMs} ms)`);
  }
}

export interface AcquireOptions {
  /** Give up (LimiterTimeoutError) rather than wait beyond this. */
  maxWaitMs: number;
  /** Aborts the wait; rejects with the signal's reason. The reserved slot is then left unused. */
  signal?: AbortSignal;
  /** Sleeps `ms`; tests inject a fake. Must reject when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Monotonic clock (ms) timing the round trip; tests pair it with a fake `sleep`. */
  now?: () => number;
  /** Told the wait for the reserved slot (ms) before it is taken, when there is one. */
  onDelay?: (delayMs: number) => void;
}

/** Like `timers/promises` setTimeout, but rejects with the signal's own reason, not a generic AbortError. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Reserves the earliest slot every rule allows, in one round trip, and sleeps until it.
 * Callers queue rather than fail and never poll: only a slot further away than
 * `maxWaitMs` throws `LimiterTimeoutError` (and reserves nothing).
 *
 * @example
 * await acquire(store, [{ key: keys.rateBucket('im:send'), limit: 1, periodMs: 1000 }], { maxWaitMs: 10_000 })
 * await feishu.im.message.create(...)
 */
export async function acquire(
  store: Store,
  rules: readonly RateRule[],
  opts: AcquireOptions,
): Promise<{ waitedMs: number }> {
  const sleep = opts.sleep ?? abortableSleep;
  opts.signal?.throwIfAborted();
  const now = opts.now ?? (() => performance.now());
  const asked = now();
  const slot = await store.schedule(rules, opts.maxWaitMs);
  const roundTripMs = Math.min(MAX_LATENESS_PAD_MS, Math.round(now() - asked));
  if (!slot.reserved) {
    throw new LimiterTimeoutError(
      rules.map((r) => r.key),
      opts.maxWaitMs,
      slot.delayMs,
    );
  }
  let waitedMs = 0;
  if (slot.delayMs > 0) {
    waitedMs = slot.delayMs + roundTripMs;
    opts.onDelay?.(waitedMs);
    await sleep(waitedMs, opts.signal);
  }
  // A late timer (busy event loop) must not squeeze this process's calls closer together.
  const behind = localSpacing.claim(rules, now());
  if (behind > 0) {
    await sleep(behind, opts.signal);
    waitedMs += behind;
  }
  return { waitedMs };
}
