import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStore } from '../../src/store/index.js';
import { acquire } from '../../src/store/limiter.js';
import { createRedisStore, DEFAULT_RATE_SET_KEY } from '../../src/store/redis.js';
import type { RateRule, Store } from '../../src/store/types.js';
import { gaps, runStoreContract, TIMING_TOLERANCE_MS } from './store.contract.js';

const url = process.env.TEST_REDIS_URL;
if (!url) throw new Error('TEST_REDIS_URL is not set: the vitest globalSetup should have started Redis');
const redisUrl: string = url;

/** Every key of this run lives under one prefix, deleted in afterAll. */
const prefix = `test:store:${randomUUID()}:`;
let admin: Redis;

beforeAll(() => {
  admin = new Redis(redisUrl);
});

afterAll(async () => {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
});

/** The Redis store keeps every rule's TAT in one sorted set (DEFAULT_RATE_SET_KEY); a TAT in the past counts as absent. */
async function rateSetLeft(_store: Store, ruleKey: string): Promise<number | null> {
  const tat = await admin.zscore(`${prefix}${DEFAULT_RATE_SET_KEY}`, `${prefix}${ruleKey}`);
  if (tat === null) return null;
  const [seconds, micros] = await admin.time();
  const left = Number(tat) - (Number(seconds) * 1000 + Number(micros) / 1000);
  return left > 0 ? left : null;
}

runStoreContract('redis', () => createRedisStore(redisUrl, { keyPrefix: prefix }), rateSetLeft);

/** A TCP port nothing listens on: bind an ephemeral port, then release it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('redis store specifics', () => {
  it('two instances on separate connections never exceed 1/s together', { timeout: 15_000 }, async () => {
    const a = createRedisStore(redisUrl, { keyPrefix: prefix });
    const b = createRedisStore(redisUrl, { keyPrefix: prefix });
    const rule: RateRule = { key: `shared:${randomUUID()}`, limit: 1, periodMs: 1000 };
    try {
      const grants = await Promise.all(
        [a, b, a, b, a, b].map(async (store: Store) => {
          await acquire(store, [rule], { maxWaitMs: 10_000 });
          return performance.now();
        }),
      );
      expect(grants).toHaveLength(6);
      for (const gap of gaps(grants)) expect(gap).toBeGreaterThanOrEqual(1000 - TIMING_TOLERANCE_MS);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('still works after Redis forgets its scripts (NOSCRIPT)', async () => {
    const store = createRedisStore(redisUrl, { keyPrefix: prefix });
    try {
      const rule: RateRule = { key: `noscript:${randomUUID()}`, limit: 1, periodMs: 1000 };
      expect(await store.reserve([rule])).toBe(0);
      await store.set('noscript:lock', 'me');
      await admin.script('FLUSH');
      expect(await store.reserve([rule])).toBeGreaterThan(0);
      expect(await store.delIfEquals('noscript:lock', 'me')).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('prefixes keys and drops rate buckets server-side once their time has passed', async () => {
    const store = createRedisStore(redisUrl, { keyPrefix: prefix, rateSetKey: 'rl-expiry' });
    try {
      await store.set('visible', 'v');
      expect(await admin.get(`${prefix}visible`)).toBe('v');
      // Every rule's TAT lives in one sorted set (one read and one write per call, however many rules).
      await store.reserve([{ key: 'bucket', limit: 1, periodMs: 1000 }]);
      const [seconds, micros] = await admin.time();
      const now = Number(seconds) * 1000 + Number(micros) / 1000;
      const tat = Number(await admin.zscore(`${prefix}rl-expiry`, `${prefix}bucket`));
      expect(tat - now).toBeGreaterThan(900);
      expect(tat - now).toBeLessThanOrEqual(1000);
      // A TAT that has passed counts as absent; the next call after the prune interval drops it.
      await new Promise((r) => setTimeout(r, 1_200));
      await store.reserve([{ key: 'other', limit: 1, periodMs: 1000 }]);
      expect(await admin.zscore(`${prefix}rl-expiry`, `${prefix}bucket`)).toBeNull();
      expect(await admin.zscore(`${prefix}rl-expiry`, `${prefix}other`)).not.toBeNull();
    } finally {
      await store.close();
    }
  });

  it('sends reads asked for in the same tick as one MGET, each caller getting its own value', async () => {
    const client = new Redis(redisUrl);
    const store = createRedisStore(client, { keyPrefix: prefix });
    try {
      await store.set('batch:a', 'A');
      await store.set('batch:b', 'B');
      const mget = vi.spyOn(client, 'mget');
      const get = vi.spyOn(client, 'get');
      const values = await Promise.all([store.get('batch:a'), store.get('batch:missing'), store.get('batch:b')]);
      expect(values).toEqual(['A', null, 'B']);
      expect(mget).toHaveBeenCalledTimes(1);
      expect(get).not.toHaveBeenCalled();
      // A read on its own stays a plain GET.
      expect(await store.get('batch:a')).toBe('A');
      expect(get).toHaveBeenCalledTimes(1);
    } finally {
      await store.close();
      await client.quit();
    }
  });

  it('ping() rejects within about a second when Redis is unreachable', async () => {
    const errors: Error[] = [];
    const store = createRedisStore(`redis://127.0.0.1:${await closedPort()}`, { onError: (e) => errors.push(e) });
    const started = performance.now();
    await expect(store.ping()).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(1_500);
    await store.close();
    expect(errors.length).toBeGreaterThan(0); // reported to the listener, not thrown
  });

  it('ping() resolves for a live Redis; createStore picks Redis for a URL', async () => {
    const store = createStore(redisUrl);
    try {
      expect(store.kind).toBe('redis');
      await expect(store.ping()).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('closes the connection it created but not one passed in', async () => {
    const own = createRedisStore(redisUrl, { keyPrefix: prefix });
    await own.ping();
    await own.close();
    await expect(own.get('x')).rejects.toThrow(/closed/i);

    const client = new Redis(redisUrl);
    const borrowed = createRedisStore(client, { keyPrefix: prefix });
    await borrowed.set('borrowed', 'yes');
    await borrowed.close();
    expect(await client.get(`${prefix}borrowed`)).toBe('yes');
    await client.quit();
  });
});
