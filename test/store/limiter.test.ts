import { describe, expect, it } from 'vitest';
import { acquire, LimiterTimeoutError } from '../../src/store/limiter.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { RateRule } from '../../src/store/types.js';

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

const rule: RateRule = { key: 'rl:test', limit: 1, periodMs: 1000 };

describe('acquire', () => {
  it('waits exactly the returned time plus jitter', async () => {
    const time = fakeTime();
    const store = createMemoryStore({ now: time.now });
    const opts = { maxWaitMs: 5_000, sleep: time.sleep, now: time.now, random: () => 0 };
    expect(await acquire(store, [rule], opts)).toEqual({ waitedMs: 0 });
    expect(await acquire(store, [rule], opts)).toEqual({ waitedMs: 1000 });
    expect(await acquire(store, [rule], { ...opts, random: () => 0.99 })).toEqual({ waitedMs: 1010 });
    expect(time.slept).toEqual([1000, 1010]);
    await store.close();
  });

  it('never sleeps past the deadline because of jitter', async () => {
    const time = fakeTime();
    const store = createMemoryStore({ now: time.now });
    await acquire(store, [rule], { maxWaitMs: 0, now: time.now });
    const opts = { maxWaitMs: 1000, sleep: time.sleep, now: time.now, random: () => 0.99 };
    expect(await acquire(store, [rule], opts)).toEqual({ waitedMs: 1000 });
    expect(time.slept).toEqual([1000]);
    await store.close();
  });

  it('throws LimiterTimeoutError without sleeping when the wait exceeds maxWaitMs', async () => {
    const time = fakeTime();
    const store = createMemoryStore({ now: time.now });
    await acquire(store, [rule], { maxWaitMs: 0, now: time.now });
    const err = await acquire(store, [rule], { maxWaitMs: 999, sleep: time.sleep, now: time.now }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LimiterTimeoutError);
    expect(err).toMatchObject({ name: 'LimiterTimeoutError', keys: ['rl:test'], maxWaitMs: 999, retryInMs: 1000 });
    expect(time.slept).toEqual([]);
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
