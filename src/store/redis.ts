import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { DEL_IF_EQUALS_LUA, GCRA_LUA, gcraArgv, gcraParams } from './gcra.js';
import { toTtlMs } from './ttl.js';
import type { RateRule, Store } from './types.js';

/** Readiness must answer quickly; a Redis slower than this counts as down. */
const PING_TIMEOUT_MS = 1_000;
/** A polite QUIT gets this long before the socket is simply dropped. */
const QUIT_TIMEOUT_MS = 1_000;

export interface RedisStoreOptions {
  /** Prepended to every key (tests use a unique prefix per run). Default: none. */
  keyPrefix?: string;
  /**
   * Receives connection errors (refused, reset…); wire it to the logger. Without a
   * listener ioredis reports them as unhandled 'error' events. Commands still fail
   * on their own, so the default ignores them.
   */
  onError?: (err: Error) => void;
  /**
   * Batch commands issued in the same tick into one write (ioredis `enableAutoPipelining`).
   * Under concurrent webhook load this halves Redis syscalls. Default: off.
   */
  autoPipelining?: boolean;
}

interface LuaScript {
  lua: string;
  sha: string;
}

function script(lua: string): LuaScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

const GCRA = script(GCRA_LUA);
const DEL_IF_EQUALS = script(DEL_IF_EQUALS_LUA);

function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.includes('NOSCRIPT');
}

/**
 * EVALSHA, falling back to EVAL (which also caches the script) when Redis has
 * forgotten it: after a restart, a failover or SCRIPT FLUSH.
 */
async function runScript(redis: Redis, s: LuaScript, keys: readonly string[], argv: readonly string[]): Promise<unknown> {
  try {
    return await redis.evalsha(s.sha, keys.length, ...keys, ...argv);
  } catch (err) {
    if (!isNoScript(err)) throw err;
    return await redis.eval(s.lua, keys.length, ...keys, ...argv);
  }
}

/** Rejects with `message` if `promise` has not settled within `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function connect(url: string, autoPipelining = false): Redis {
  return new Redis(url, {
    lazyConnect: false,
    enableAutoPipelining: autoPipelining,
    // Fail a command after a few reconnect attempts instead of queueing it for
    // minutes: callers (readiness, dedupe, limiter) would rather see the error.
    maxRetriesPerRequest: 3,
    connectTimeout: 5_000,
  });
}

/** QUIT when connected (lets pending replies arrive), otherwise just drop the socket. */
async function shutdown(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  try {
    await withTimeout(redis.quit(), QUIT_TIMEOUT_MS, 'QUIT timed out');
  } catch {
    redis.disconnect();
  }
}

/**
 * The shared store on Redis (single node; see `GCRA_LUA` for Cluster). Pass a URL and
 * the store owns the connection: `close()` quits it. Pass an existing `Redis` and the
 * caller keeps ownership: `close()` only detaches the store's error listener.
 *
 * @example
 * const store = createRedisStore('redis://127.0.0.1:6379', { keyPrefix: 'dev:' })
 * await store.setIfAbsent(keys.eventDedupe('om_1'), 'processing', 60_000) // true
 * await store.close()
 */
export function createRedisStore(url: string | Redis, opts: RedisStoreOptions = {}): Store {
  const owned = typeof url === 'string';
  const redis = owned ? connect(url, opts.autoPipelining) : url;
  const prefix = opts.keyPrefix ?? '';
  const k = (key: string): string => prefix + key;

  // Without a listener, a refused connection would crash the process.
  const onError = (err: Error): void => opts.onError?.(err);
  redis.on('error', onError);

  return {
    kind: 'redis',

    async get(key) {
      return redis.get(k(key));
    },

    async set(key, value, setOpts) {
      if (setOpts?.ttlMs === undefined) await redis.set(k(key), value);
      else await redis.set(k(key), value, 'PX', toTtlMs(setOpts.ttlMs));
    },

    async setIfAbsent(key, value, ttlMs) {
      const reply = await redis.set(k(key), value, 'PX', toTtlMs(ttlMs), 'NX');
      return reply === 'OK';
    },

    async del(key) {
      await redis.del(k(key));
    },

    async delIfEquals(key, value) {
      const deleted = await runScript(redis, DEL_IF_EQUALS, [k(key)], [value]);
      return Number(deleted) === 1;
    },

    async ttlMs(key) {
      const ttl = await redis.pttl(k(key));
      // -2: no such key; -1: no expiry.
      return ttl < 0 ? null : ttl;
    },

    async addToSet(key, member) {
      await redis.sadd(k(key), member);
    },

    async removeFromSet(key, member) {
      await redis.srem(k(key), member);
    },

    async isInSet(key, member) {
      return (await redis.sismember(k(key), member)) === 1;
    },

    async setMembers(key) {
      return redis.smembers(k(key));
    },

    async reserve(rules: readonly RateRule[]) {
      const params = gcraParams(rules);
      if (params.length === 0) return 0;
      const wait = await runScript(redis, GCRA, rules.map((r) => k(r.key)), gcraArgv(params));
      return Number(wait);
    },

    async ping() {
      await withTimeout(redis.ping(), PING_TIMEOUT_MS, `Redis did not answer PING within ${PING_TIMEOUT_MS} ms`);
    },

    async close() {
      // Detach only afterwards: a late socket error during shutdown must still be caught.
      if (owned) await shutdown(redis);
      redis.off('error', onError);
    },
  };
}
