import type { Store } from '../store/types.js';

/** Feishu retries for ~7.1 h (15 s, 5 min, 1 h, 6 h); keep "done" markers a little longer. */
export const DEDUPE_TTL_MS = 9 * 60 * 60 * 1000;
/**
 * How long an in-flight marker survives a crashed process. Shorter than Feishu's 5-minute
 * retry, so a delivery lost with its process still runs once on that retry; longer than a
 * normal handler run. A handler outliving it is still safe: sends carry an idempotency uuid.
 */
export const IN_FLIGHT_TTL_MS = 3 * 60 * 1000;

export interface Deduper {
  /** True when this caller owns the delivery; false for a duplicate (done or in flight). */
  claim(key: string): Promise<boolean>;
  /** The handler succeeded: drop any further copy for `DEDUPE_TTL_MS`. */
  done(key: string): Promise<void>;
  /** The handler failed: forget the delivery so Feishu's retry can run it again. */
  release(key: string): Promise<void>;
}

/**
 * Exactly-once bookkeeping over the shared store: `processing` while a handler runs,
 * `done` after it succeeded, nothing after it failed.
 *
 * @example
 * const dedupe = createDeduper(store)
 * if (await dedupe.claim(keys.eventDedupe(messageId))) { ... }
 */
export function createDeduper(
  store: Store,
  opts: { doneTtlMs?: number; inFlightTtlMs?: number } = {},
): Deduper {
  const doneTtlMs = opts.doneTtlMs ?? DEDUPE_TTL_MS;
  const inFlightTtlMs = opts.inFlightTtlMs ?? IN_FLIGHT_TTL_MS;
  return {
    claim: (key) => store.setIfAbsent(key, 'processing', inFlightTtlMs),
    done: (key) => store.set(key, 'done', { ttlMs: doneTtlMs }),
    release: async (key) => {
      await store.delIfEquals(key, 'processing');
    },
  };
}
