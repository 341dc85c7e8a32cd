import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStore } from '../../src/store/memory.js';
import { createStore } from '../../src/store/index.js';
import { runStoreContract } from './store.contract.js';

runStoreContract('memory', () => createMemoryStore());

describe('memory store specifics', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('follows an injected clock for TTLs and the limiter', async () => {
    let now = 1_000_000;
    const store = createMemoryStore({ now: () => now });
    await store.set('k', 'v', { ttlMs: 500 });
    now += 499;
    expect(await store.get('k')).toBe('v');
    expect(await store.ttlMs('k')).toBe(1);
    now += 1;
    expect(await store.get('k')).toBeNull();

    const rule = { key: 'rl', limit: 2, periodMs: 1000 };
    expect(await store.reserve([rule])).toBe(0);
    expect(await store.reserve([rule])).toBe(500);
    now += 500;
    expect(await store.reserve([rule])).toBe(0);
    await store.close();
  });

  it('stores the bucket TAT exactly as the Lua script formats it', async () => {
    const now = 1_000_000;
    const store = createMemoryStore({ now: () => now });
    const rule = { key: 'rl', limit: 3, periodMs: 1000 };
    await store.reserve([rule]);
    expect(await store.get('rl')).toBe('1000333.333');
    expect(await store.ttlMs('rl')).toBe(334);
    await store.close();
  });

  it('sweeps expired keys on a timer that close() clears', async () => {
    vi.useFakeTimers();
    const store = createMemoryStore();
    await store.set('k', 'v', { ttlMs: 10 });
    expect(vi.getTimerCount()).toBe(1);
    await store.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('createStore picks memory without a URL', async () => {
    const store = createStore(undefined);
    expect(store.kind).toBe('memory');
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
  });
});
