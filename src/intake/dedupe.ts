import { randomUUID } from 'node:crypto';
import type { Store } from '../store/types.js';

/** Feishu retries for ~7.1 h (15 s, 5 min, 1 h, 6 h); keep "done" markers a little longer. */
export const DEDUPE_TTL_MS = 9 * 60 * 60 * 1000;
/**
 * How long an in-flight marker survives a crashed process. Shorter than Feishu's 5-minute
 * retry, so a delivery lost with its process still runs once on that retry; longer than a
 * normal handler run. A handler outliving it is still safe: sends carry an idempotency uuid.
 */
export const IN_FLIGHT_TTL_MS = 3 * 60 * 1000;

/** The marker of a delivery that is done (handled, or safely queued). */
const DONE = 'done';

/** Proof of ownership of an in-flight delivery: only its holder can release it. */
export type ClaimToken = string;

export interface Deduper {
  /** A token when this caller now owns the delivery; undefined for a duplicate (done or in flight). */
  claim(key: string): Promise<ClaimToken | undefined>;
  /** The delivery is handled (or safely queued): drop any further copy for `DEDUPE_TTL_MS`. */
  done(key: string): Promise<void>;
  /**
   * The delivery failed before it was safe: forget it so Feishu's retry can run it again.
   * Only the claim holding `token` is removed; a newer claim (ours expired, another took
   * over) is left alone. True when something was released.
   */
  release(key: string, token: ClaimToken): Promise<boolean>;
}

/**
 * Exactly-once bookkeeping over the shared store: a unique in-flight token while the
 * delivery is being taken in, `done` afterwards, nothing after a failure.
 *
 * Each claim writes a token of its own, so only its holder can release it. When the store
 * fails to answer a claim in time the write may still land later (a stalled Redis runs it
 * once it resumes), so the claim is taken back with a delete-if-still-mine sent right behind
 * it: Feishu's retry of the refused delivery then finds the key free, and another process's
 * claim is never touched.
 *
 * @example
 * const dedupe = createDeduper(store)
 * const token = await dedupe.claim(keys.eventDedupe(messageId))
 * if (token) { try { await queue.enqueue(job); await dedupe.done(key) } catch { await dedupe.release(key, token) } }
 */
export function createDeduper(
  store: Store,
  opts: { doneTtlMs?: number; inFlightTtlMs?: number } = {},
): Deduper {
  const doneTtlMs = opts.doneTtlMs ?? DEDUPE_TTL_MS;
  const inFlightTtlMs = opts.inFlightTtlMs ?? IN_FLIGHT_TTL_MS;
  return {
    async claim(key) {
      const token = `claim:${randomUUID()}`;
      try {
        return (await store.setIfAbsent(key, token, inFlightTtlMs)) ? token : undefined;
      } catch (err) {
        store.delIfEquals(key, token).catch(() => undefined);
        throw err;
      }
    },
    done: (key) => store.set(key, DONE, { ttlMs: doneTtlMs }),
    release: (key, token) => store.delIfEquals(key, token),
  };
}
