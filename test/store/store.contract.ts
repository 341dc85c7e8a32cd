/**
 * The behaviour every Store must have. Run by `memory.test.ts` and `redis.test.ts`
 * so both implementations are held to the same expectations.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { acquire, LimiterTimeoutError } from '../../src/store/limiter.js';
import type { RateRule, Store } from '../../src/store/types.js';

/** Scheduling slack allowed when comparing observed times with the configured spacing. */
export const TIMING_TOLERANCE_MS = 10;

/** Differences between consecutive sorted timestamps. */
export function gaps(times: readonly number[]): number[] {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.slice(1).map((t, i) => t - (sorted[i] ?? t));
}

/**
 * How long until a limiter rule's recorded schedule (TAT) passes, in ms, or null when
 * nothing is recorded for it: read where the implementation keeps it.
 */
export type BucketProbe = (store: Store, ruleKey: string) => Promise<number | null>;

/** The memory store keeps each rule's TAT as a string under the rule's key, expiring with it. */
const ttlProbe: BucketProbe = (store, ruleKey) => store.ttlMs(ruleKey);

/**
 * Registers the contract tests for one implementation. `makeStore` is called once per
 * test (or more); every store it returns is closed after the test. `bucketLeft` reads a
 * rule's recorded schedule (default: the TTL of the rule's key).
 */
export function runStoreContract(name: string, makeStore: () => Store | Promise<Store>, bucketLeft: BucketProbe = ttlProbe): void {
  describe(`Store contract: ${name}`, () => {
    const open: Store[] = [];
    let counter = 0;
    /** A key no other test (or earlier run, thanks to the store's prefix) uses. */
    const key = (label: string): string => `contract:${label}:${++counter}`;

    async function store(): Promise<Store> {
      const s = await makeStore();
      open.push(s);
      return s;
    }

    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });

    describe('strings and TTL', () => {
      it('gets, sets, overwrites and deletes', async () => {
        const s = await store();
        const k = key('str');
        expect(await s.get(k)).toBeNull();
        await s.set(k, 'a');
        expect(await s.get(k)).toBe('a');
        await s.set(k, 'b');
        expect(await s.get(k)).toBe('b');
        await s.del(k);
        expect(await s.get(k)).toBeNull();
        await s.del(k); // deleting a missing key is fine
      });

      it('expires a value after its TTL', async () => {
        const s = await store();
        const k = key('ttl');
        await s.set(k, 'v', { ttlMs: 150 });
        const ttl = await s.ttlMs(k);
        expect(ttl).not.toBeNull();
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(150);
        expect(await s.get(k)).toBe('v');
        await sleep(220);
        expect(await s.get(k)).toBeNull();
        expect(await s.ttlMs(k)).toBeNull();
      });

      it('reports no TTL for absent or persistent keys, and a plain set clears a TTL', async () => {
        const s = await store();
        const k = key('persist');
        expect(await s.ttlMs(k)).toBeNull();
        await s.set(k, 'v', { ttlMs: 10_000 });
        expect(await s.ttlMs(k)).toBeGreaterThan(9_000);
        await s.set(k, 'w');
        expect(await s.ttlMs(k)).toBeNull();
        expect(await s.get(k)).toBe('w');
      });

      it('rejects a non-positive TTL', async () => {
        const s = await store();
        await expect(s.set(key('bad'), 'v', { ttlMs: 0 })).rejects.toThrow(RangeError);
        await expect(s.setIfAbsent(key('bad'), 'v', -5)).rejects.toThrow(RangeError);
      });
    });

    describe('setIfAbsent', () => {
      it('lets exactly one of 20 concurrent callers win', async () => {
        const s = await store();
        const k = key('race');
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => s.setIfAbsent(k, `caller-${i}`, 5_000)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect(await s.get(k)).toBe(`caller-${winner}`);
        expect(await s.ttlMs(k)).toBeGreaterThan(4_000);
      });

      it('succeeds again once the first value has expired', async () => {
        const s = await store();
        const k = key('relock');
        expect(await s.setIfAbsent(k, 'one', 100)).toBe(true);
        expect(await s.setIfAbsent(k, 'two', 100)).toBe(false);
        await sleep(160);
        expect(await s.setIfAbsent(k, 'three', 100)).toBe(true);
        expect(await s.get(k)).toBe('three');
      });
    });

    describe('delIfEquals', () => {
      it('deletes only when the value matches', async () => {
        const s = await store();
        const k = key('lock');
        expect(await s.delIfEquals(k, 'me')).toBe(false);
        await s.set(k, 'someone-else');
        expect(await s.delIfEquals(k, 'me')).toBe(false);
        expect(await s.get(k)).toBe('someone-else');
        await s.set(k, 'me');
        expect(await s.delIfEquals(k, 'me')).toBe(true);
        expect(await s.get(k)).toBeNull();
      });
    });

    describe('compareAndSet', () => {
      it('replaces only the expected value; of 20 concurrent callers exactly one wins', async () => {
        const s = await store();
        const k = key('cas');
        expect(await s.compareAndSet(k, 'v1', 'v2')).toBe(false); // absent
        await s.set(k, 'v1');
        const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => s.compareAndSet(k, 'v1', `v2-${i}`)));
        expect(wins.filter(Boolean)).toHaveLength(1);
        const winner = wins.indexOf(true);
        expect(await s.get(k)).toBe(`v2-${winner}`);
        expect(await s.compareAndSet(k, 'v1', 'again')).toBe(false);
      });

      it('keeps the TTL unless a new one is given', async () => {
        const s = await store();
        const k = key('cas-ttl');
        await s.set(k, 'a', { ttlMs: 60_000 });
        expect(await s.compareAndSet(k, 'a', 'b')).toBe(true);
        expect(await s.ttlMs(k)).toBeGreaterThan(50_000);
        expect(await s.compareAndSet(k, 'b', 'c', { ttlMs: 120 })).toBe(true);
        expect(await s.ttlMs(k)).toBeLessThanOrEqual(120);
        await sleep(200);
        expect(await s.get(k)).toBeNull();
      });
    });

    describe('time-ordered log', () => {
      it('reads entries from a time on, oldest first, and drops those past retention', async () => {
        const s = await store();
        const k = key('log');
        expect(await s.readLog(k, 0)).toEqual([]);
        await s.appendToLog(k, 1_000, 'a', 10_000);
        await s.appendToLog(k, 3_000, 'c', 10_000);
        await s.appendToLog(k, 2_000, 'b', 10_000);
        expect(await s.readLog(k, 0)).toEqual(['a', 'b', 'c']);
        expect(await s.readLog(k, 2_000)).toEqual(['b', 'c']);
        // Appending at 12 500 with 10 s retention drops everything before 2 500.
        await s.appendToLog(k, 12_500, 'd', 10_000);
        expect(await s.readLog(k, 0)).toEqual(['c', 'd']);
      });
    });

    describe('sets', () => {
      it('adds, checks, lists and removes members', async () => {
        const s = await store();
        const k = key('set');
        expect(await s.setMembers(k)).toEqual([]);
        expect(await s.isInSet(k, 'ou_a')).toBe(false);
        await s.addToSet(k, 'ou_a');
        await s.addToSet(k, 'ou_b');
        await s.addToSet(k, 'ou_a');
        expect(await s.isInSet(k, 'ou_a')).toBe(true);
        expect((await s.setMembers(k)).sort()).toEqual(['ou_a', 'ou_b']);
        await s.removeFromSet(k, 'ou_a');
        await s.removeFromSet(k, 'ou_missing');
        expect(await s.isInSet(k, 'ou_a')).toBe(false);
        expect(await s.setMembers(k)).toEqual(['ou_b']);
        await s.removeFromSet(k, 'ou_b');
        expect(await s.setMembers(k)).toEqual([]);
        // An emptied set is gone, so the key can hold a string again.
        await s.set(k, 'now-a-string');
        expect(await s.get(k)).toBe('now-a-string');
      });

      it('refuses to treat a string as a set', async () => {
        const s = await store();
        const k = key('wrongtype');
        await s.set(k, 'v');
        await expect(s.addToSet(k, 'm')).rejects.toThrow(/WRONGTYPE/);
      });
    });

    describe('schedule (GCRA that queues)', () => {
      const rule = (label: string, limit: number, periodMs: number, burst?: number): RateRule => ({
        key: key(label),
        limit,
        periodMs,
        ...(burst === undefined ? {} : { burst }),
      });

      it('reserves consecutive future slots: each caller is told when to go', async () => {
        const s = await store();
        const r = rule('sched', 1, 1000);
        const delays: number[] = [];
        for (let i = 0; i < 4; i++) {
          const slot = await s.schedule([r], 60_000);
          expect(slot.reserved).toBe(true);
          delays.push(slot.delayMs);
        }
        expect(delays[0]).toBe(0);
        for (let i = 1; i < 4; i++) {
          expect(delays[i]).toBeGreaterThanOrEqual(i * 1000 - 100); // real time passes between the calls
          expect(delays[i]).toBeLessThanOrEqual(i * 1000 + 1);
        }
      });

      it('reserves nothing when the slot is further away than allowed', async () => {
        const s = await store();
        const r = rule('sched-max', 1, 1000);
        await s.schedule([r], 0);
        const refused = await s.schedule([r], 500);
        expect(refused.reserved).toBe(false);
        expect(refused.delayMs).toBeGreaterThan(500);
        const next = await s.schedule([r], 5_000);
        expect(next.reserved).toBe(true);
        expect(next.delayMs).toBeLessThanOrEqual(1000);
      });

      it('takes the slowest rule across several keys and moves every bucket past it', async () => {
        const s = await store();
        const slow = rule('sched-slow', 1, 1000);
        const fast = rule('sched-fast', 10, 1000);
        await s.schedule([slow], 0);
        const both = await s.schedule([fast, slow], 60_000);
        expect(both.delayMs).toBeGreaterThan(900);
        // The fast bucket's next slot now lies after the reserved one.
        const fastAgain = await s.schedule([fast], 60_000);
        expect(fastAgain.delayMs).toBeGreaterThanOrEqual(both.delayMs);
      });

      it('shares buckets with reserve: a scheduled slot makes reserve wait', async () => {
        const s = await store();
        const r = rule('sched-mix', 1, 1000);
        expect((await s.schedule([r], 0)).delayMs).toBe(0);
        expect(await s.reserve([r])).toBeGreaterThan(900);
      });
    });

    describe('reserve (GCRA)', () => {
      const rule = (label: string, limit: number, periodMs: number, burst?: number): RateRule => ({
        key: key(label),
        limit,
        periodMs,
        ...(burst === undefined ? {} : { burst }),
      });

      it('spaces grants exactly: 1/s, burst 1', async () => {
        const s = await store();
        const r = rule('spacing', 1, 1000);
        expect(await s.reserve([r])).toBe(0);
        const wait = await s.reserve([r]);
        expect(wait).toBeGreaterThanOrEqual(950);
        expect(wait).toBeLessThanOrEqual(1000);
      });

      it('grants again once the returned wait has passed', async () => {
        const s = await store();
        const r = rule('retry', 1, 150);
        expect(await s.reserve([r])).toBe(0);
        const wait = await s.reserve([r]);
        expect(wait).toBeGreaterThan(100);
        await sleep(wait + 2);
        expect(await s.reserve([r])).toBe(0);
      });

      it('checks several rules at once: the slower rule decides the 4th grant', async () => {
        const s = await store();
        const perCall = rule('fast', 1, 100); // "1/s", scaled down
        const perWindow = rule('window', 3, 3000, 3); // "3/min", scaled down, burst 3
        const rules = [perCall, perWindow];
        for (let i = 0; i < 3; i++) {
          let wait = await s.reserve(rules);
          while (wait > 0) {
            expect(wait).toBeLessThanOrEqual(100); // only the fast rule may hold the first three back
            await sleep(wait);
            wait = await s.reserve(rules);
          }
        }
        await sleep(110); // the fast rule is clear now; only the window rule can refuse
        const wait = await s.reserve(rules);
        // Window TAT ≈ t0 + 3000, tolerance 2000 → allowed at ≈ t0 + 1000.
        expect(wait).toBeGreaterThan(400);
        expect(wait).toBeLessThanOrEqual(1000);
      });

      it('allows a burst, then spaces', async () => {
        const s = await store();
        const r = rule('burst', 1, 1000, 3);
        expect(await s.reserve([r])).toBe(0);
        expect(await s.reserve([r])).toBe(0);
        expect(await s.reserve([r])).toBe(0);
        const wait = await s.reserve([r]);
        expect(wait).toBeGreaterThanOrEqual(950);
        expect(wait).toBeLessThanOrEqual(1000);
      });

      it('records nothing on any rule when one rule denies', async () => {
        const s = await store();
        const busy = rule('busy', 1, 1000);
        const idle = rule('idle', 1, 1000);
        expect(await s.reserve([busy])).toBe(0);
        const first = await s.reserve([idle, busy]);
        expect(first).toBeGreaterThan(0);
        expect(await bucketLeft(s, idle.key)).toBeNull();
        // The busy rule did not move either: asking again does not push the wait out.
        const second = await s.reserve([idle, busy]);
        expect(second).toBeLessThanOrEqual(first);
        expect(await s.reserve([idle])).toBe(0);
      });

      it('expires an idle bucket once its schedule has passed', async () => {
        const s = await store();
        const r = rule('bucket-ttl', 1, 1000);
        expect(await s.reserve([r])).toBe(0);
        const ttl = await bucketLeft(s, r.key);
        expect(ttl).toBeGreaterThan(900);
        expect(ttl).toBeLessThanOrEqual(1000);
      });

      it('grants an empty rule list and rejects nonsense rules', async () => {
        const s = await store();
        expect(await s.reserve([])).toBe(0);
        await expect(s.reserve([rule('zero', 0, 1000)])).rejects.toThrow(RangeError);
        await expect(s.reserve([rule('burst0', 1, 1000, 0)])).rejects.toThrow(RangeError);
        const dup = rule('dup', 1, 1000);
        await expect(s.reserve([dup, dup])).rejects.toThrow(RangeError);
      });
    });

    describe('acquire', () => {
      it('grants N concurrent callers at the configured rate', async () => {
        const s = await store();
        const r: RateRule = { key: key('acquire'), limit: 1, periodMs: 100 };
        const started = performance.now();
        const grants = await Promise.all(
          Array.from({ length: 5 }, async () => {
            const { waitedMs } = await acquire(s, [r], { maxWaitMs: 5_000 });
            return { at: performance.now(), waitedMs };
          }),
        );
        for (const gap of gaps(grants.map((g) => g.at))) {
          expect(gap).toBeGreaterThanOrEqual(100 - TIMING_TOLERANCE_MS);
        }
        const waited = grants.map((g) => g.waitedMs).sort((a, b) => a - b);
        expect(waited[0]).toBeLessThan(50); // the first goes straight through
        expect(waited[4]).toBeGreaterThanOrEqual(400 - TIMING_TOLERANCE_MS);
        expect(performance.now() - started).toBeGreaterThanOrEqual(400 - TIMING_TOLERANCE_MS);
      });

      it('throws LimiterTimeoutError rather than wait past maxWaitMs', async () => {
        const s = await store();
        const r: RateRule = { key: key('timeout'), limit: 1, periodMs: 1000 };
        await acquire(s, [r], { maxWaitMs: 0 });
        const started = performance.now();
        const err = await acquire(s, [r], { maxWaitMs: 100 }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(LimiterTimeoutError);
        expect((err as LimiterTimeoutError).retryInMs).toBeGreaterThan(100);
        expect(performance.now() - started).toBeLessThan(100); // fails fast, without sleeping
      });
    });
  });
}
