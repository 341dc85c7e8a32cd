import { afterAll, describe, expect, it } from 'vitest';
import { createDeduper } from '../../src/intake/dedupe.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { Store } from '../../src/store/types.js';
import { redisTestStore } from '../support/webhook-app.js';

const redis = redisTestStore();
afterAll(() => redis.dispose());

describe.each([
  ['memory', () => createMemoryStore() as Store],
  ['redis', () => redis as Store],
])('claims (%s store)', (_name, makeStore) => {
  it('a stale claim cannot release the newer claim that replaced it', async () => {
    const store = makeStore();
    const dedupe = createDeduper(store, { inFlightTtlMs: 50 });
    const key = `claim:${Math.random()}`;
    const stale = await dedupe.claim(key);
    expect(stale).toBeDefined();
    expect(await dedupe.claim(key)).toBeUndefined(); // in flight: a duplicate
    await new Promise((r) => setTimeout(r, 120)); // the first owner's claim lapses
    const newer = await dedupe.claim(key);
    expect(newer).toBeDefined();
    expect(newer).not.toBe(stale);
    expect(await dedupe.release(key, stale!)).toBe(false);
    expect(await dedupe.claim(key)).toBeUndefined(); // the newer claim still stands
    expect(await dedupe.release(key, newer!)).toBe(true);
    expect(await dedupe.claim(key)).toBeDefined();
  });

  it('a done delivery stays done; a release with any token does not reopen it', async () => {
    const store = makeStore();
    const dedupe = createDeduper(store);
    const key = `done:${Math.random()}`;
    const token = await dedupe.claim(key);
    await dedupe.done(key);
    expect(await dedupe.release(key, token!)).toBe(false);
    expect(await dedupe.claim(key)).toBeUndefined();
  });
});
