import type { RateRule, Store } from './types.js';

/** Spreads retries of callers that were told the same wait, so they don't all hit Redis at once. */
const MAX_JITTER_MS = 10;

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
  /** Aborts the wait; rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Sleeps `ms`; tests inject a fake. Must reject when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Monotonic clock in ms for the deadline; tests pair it with a fake `sleep`. */
  now?: () => number;
  /** Returns [0, 1); tests may pin the jitter. */
  random?: () => number;
}

/** Like `timers/promises` setTimeout, but rejects with the signal's own reason, not a generic AbortError. */
function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
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

function defaultNow(): number {
  return performance.now();
}

/**
 * Waits until every rule grants a call, then returns. Callers queue rather than
 * fail: only a wait longer than `maxWaitMs` throws `LimiterTimeoutError`.
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
  const sleep = opts.sleep ?? defaultSleep;
  const now = opts.now ?? defaultNow;
  const random = opts.random ?? Math.random;
  const started = now();
  const deadline = started + opts.maxWaitMs;

  for (;;) {
    opts.signal?.throwIfAborted();
    const wait = await store.reserve(rules);
    const at = now();
    if (wait <= 0) return { waitedMs: at - started };
    const remaining = deadline - at;
    if (wait > remaining) {
      throw new LimiterTimeoutError(
        rules.map((r) => r.key),
        opts.maxWaitMs,
        wait,
      );
    }
    // Jitter, but never past the deadline: the grant is due by then anyway.
    const jitter = Math.floor(random() * (MAX_JITTER_MS + 1));
    await sleep(Math.min(wait + jitter, remaining), opts.signal);
  }
}
