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

export interface Deduper {
  /** True when this caller owns the delivery; false for a duplicate (done or in flight). */
  claim(key: string): Promise<boolean>;
  /** The handler succeeded: drop any further copy for `DEDUPE_TTL_MS`. */
  done(key: string): Promise<void>;
  /** The handler failed: forget the delivery so Feishu's retry can run it again. */
  release(key: string): Promise<void>;
}

/**
 * Exactly-once bookkeeping over the shared store: an in-flight marker while a handler runs,
 * `done` after it succeeded, nothing after it failed.
 *
 * Each claim writes a marker of its own. When the store fails to answer a claim in time the
 * write may still land later (a stalled Redis runs it once it resumes), so the claim is taken
 * back with a delete-if-still-mine sent right behind it: Feishu's retry of the refused
 * delivery then finds the key free, and another process's claim is never touched.
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
  /** The marker of each claim this process holds (a key is held by one claim at a time). */
  const held = new Map<string, string>();
  return {
    async claim(key) {
      const marker = `processing:${randomUUID()}`;
      try {
        if (!(await store.setIfAbsent(key, marker, inFlightTtlMs))) return false;
      } catch (err) {
        store.delIfEquals(key, marker).catch(() => undefined);
        throw err;
      }
      held.set(key, marker);
      return true;
    },
    async done(key) {
      held.delete(key);
      await store.set(key, 'done', { ttlMs: doneTtlMs });
    },
    async release(key) {
      const marker = held.get(key);
      held.delete(key);
      if (marker) await store.delIfEquals(key, marker);
    },
  };
}
