import { beforeEach, describe, expect, it } from 'vitest';
import { acquire, LimiterTimeoutError } from '../../src/store/limiter.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { RateRule, Store } from '../../src/store/types.js';

/** A clock that only moves when the limiter sleeps: exact, instant tests. */
function fakeTime() {
  let now = 0;
  const slept: number[] = [];
  return {
    now: () => now,
    slept,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
  };
}

/** Counts the store's round trips. */
function counting(store: Store) {
  let calls = 0;
  const counted: Store = {
    ...store,
    schedule: (rules, max) => {
      calls++;
      return store.schedule(rules, max);
    },
    reserve: (rules) => {
      calls++;
      return store.reserve(rules);
    },
  };
  return { store: counted, calls: () => calls };
}

let counter = 0;
/** A fresh 1/s rule per test: the limiter remembers each rule's last local go. */
const freshRule = (): RateRule => ({ key: `rl:test:${++counter}:${Math.random()}`, limit: 1, periodMs: 1000 });
let rule: RateRule = freshRule();
beforeEach(() => {
  rule = freshRule();
});

describe('acquire', () => {
  it('reserves its slot in one round trip and sleeps exactly until it', async () => {
    const time = fakeTime();
    const { store, calls } = counting(createMemoryStore({ now: time.now }));
    const opts = { maxWaitMs: 5_000, sleep: time.sleep, now: time.now };
    expect(await acquire(store, [rule], opts)).toEqual({ waitedMs: 0 });
    expect(await acquire(store, [rule], opts)).toEqual({ waitedMs: 1000 });
    expect(await acquire(store, [rule], opts)).toEqual({ waitedMs: 1000 });
    expect(time.slept).toEqual([1000, 1000]);
    expect(calls()).toBe(3);
    await store.close();
  });

  it('queues many waiters at once, each on its own later slot, one round trip each', async () => {
    const time = fakeTime();
    const memory = createMemoryStore({ now: () => 0 });
    const slots: number[] = [];
    const store: Store = {
      ...memory,
      schedule: async (rules, max) => {
        const slot = await memory.schedule(rules, max);
        slots.push(slot.delayMs);
        return slot;
      },
    };
    await Promise.all(Array.from({ length: 20 }, () => acquire(store, [rule], { maxWaitMs: 60_000, sleep: time.sleep, now: time.now })));
    expect(slots).toEqual(Array.from({ length: 20 }, (_, i) => i * 1000));
    await store.close();
  });

  it('keeps its own calls spaced when a stalled event loop releases several waiters in one tick', async () => {
    // The store granted every slot already (their timers all fired late, together): each
    // waiter must still leave one interval after the one before, not all one interval late.
    const time = fakeTime();
    const memory = createMemoryStore({ now: time.now });
    const store: Store = { ...memory, schedule: async () => ({ reserved: true, delayMs: 0 }) };
    const sleeps: number[] = [];
    const sleep = async (ms: number) => void sleeps.push(ms);
    await Promise.all(Array.from({ length: 4 }, () => acquire(store, [rule], { maxWaitMs: 60_000, sleep, now: time.now })));
    expect(sleeps).toEqual([1000, 2000, 3000]);
    await store.close();
  });

  it('throws LimiterTimeoutError without sleeping or reserving when the slot is beyond maxWaitMs', async () => {
    const time = fakeTime();
    const store = createMemoryStore({ now: time.now });
    await acquire(store, [rule], { maxWaitMs: 0, now: time.now });
    const err = await acquire(store, [rule], { maxWaitMs: 999, sleep: time.sleep, now: time.now }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LimiterTimeoutError);
    expect(err).toMatchObject({ name: 'LimiterTimeoutError', keys: [rule.key], maxWaitMs: 999, retryInMs: 1000 });
    expect(time.slept).toEqual([]);
    // Nothing was reserved: the next caller still gets the slot 1000 ms out, not 2000.
    expect(await acquire(store, [rule], { maxWaitMs: 5_000, sleep: time.sleep, now: time.now })).toEqual({ waitedMs: 1000 });
    await store.close();
  });

  it('stops waiting when the signal aborts', async () => {
    const store = createMemoryStore();
    await acquire(store, [rule], { maxWaitMs: 0 });
    const controller = new AbortController();
    const pending = acquire(store, [rule], { maxWaitMs: 5_000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutting down')), 20);
    await expect(pending).rejects.toThrow('shutting down');
    await expect(acquire(store, [rule], { maxWaitMs: 5_000, signal: controller.signal })).rejects.toThrow(
      'shutting down',
    );
    await store.close();
  });
});
