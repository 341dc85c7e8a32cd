import { createMemoryStore } from './memory.js';
import { createRedisStore, type RedisStoreOptions } from './redis.js';
import type { Store } from './types.js';

export type { RateRule, Store } from './types.js';
export { storeKeys, type StoreKeys } from './keys.js';
export { createMemoryStore } from './memory.js';
export { createRedisStore, type RedisStoreOptions } from './redis.js';
export { acquire, LimiterTimeoutError, type AcquireOptions } from './limiter.js';

/**
 * Picks the store for this process: Redis when a URL is configured (required for
 * more than one instance), memory otherwise.
 *
 * @example
 * const store = createStore(config.redisUrl, { onError: (err) => log.warn({ err }, 'redis') }) // undefined → memory
 */
export function createStore(redisUrl: string | undefined, redisOpts: RedisStoreOptions = {}): Store {
  return redisUrl ? createRedisStore(redisUrl, redisOpts) : createMemoryStore();
}
