import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';
import { acquire } from '../../src/store/limiter.js';
import { createRedisStore } from '../../src/store/redis.js';
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

runStoreContract('redis', () => createRedisStore(redisUrl, { keyPrefix: prefix }));

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

  it('prefixes keys and gives rate buckets a server-side expiry', async () => {
    const store = createRedisStore(redisUrl, { keyPrefix: prefix });
    try {
      await store.set('visible', 'v');
      expect(await admin.get(`${prefix}visible`)).toBe('v');
      await store.reserve([{ key: 'bucket', limit: 1, periodMs: 1000 }]);
      const pttl = await admin.pttl(`${prefix}bucket`);
      expect(pttl).toBeGreaterThan(900);
      expect(pttl).toBeLessThanOrEqual(1000);
    } finally {
      await store.close();
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
