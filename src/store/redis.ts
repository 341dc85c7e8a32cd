import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { COMPARE_AND_SET_LUA, DEL_IF_EQUALS_LUA, GCRA_LUA, GCRA_SCHEDULE_LUA, gcraArgv, gcraParams } from './gcra.js';
import { toTtlMs } from './ttl.js';
import type { RateRule, Store } from './types.js';
import { withTimeout } from '../timeout.js';

/** Readiness must answer quickly; a Redis slower than this counts as down. */
const PING_TIMEOUT_MS = 1_000;
/** A polite QUIT gets this long before the socket is simply dropped. */
const QUIT_TIMEOUT_MS = 1_000;
/**
 * Every command fails after this long without a reply. The webhook's dedupe claim is one
 * command on the path of an answer Feishu expects within 3 s; failing it answers 503 and
 * Feishu pushes the event again later.
 */
export const DEFAULT_COMMAND_TIMEOUT_MS = 500;
/** How long a command waits for a connection that is being (re)established. */
export const DEFAULT_CONNECT_WAIT_MS = 1_000;
/** Reconnect quickly once Redis is back: 100 ms, 200 ms, … never more than a second apart. */
const reconnectDelay = (attempt: number): number => Math.min(attempt * 100, 1_000);

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
  /** Reply deadline of every command on a connection the store owns. Default 500 ms. */
  commandTimeoutMs?: number;
  /** How long a command waits for a (re)connecting connection before failing. Default 1 s. */
  connectWaitMs?: number;
  /** The sorted set holding every limiter rule's TAT (see `GCRA_PRUNED_MEMBER`), under `keyPrefix`. Default `hrbot:rl`. */
  rateSetKey?: string;
}

/** Where the limiter's TATs live unless told otherwise. */
export const DEFAULT_RATE_SET_KEY = 'hrbot:rl';

interface LuaScript {
  lua: string;
  sha: string;
}

function script(lua: string): LuaScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

const GCRA = script(GCRA_LUA);
const DEL_IF_EQUALS = script(DEL_IF_EQUALS_LUA);
const GCRA_SCHEDULE = script(GCRA_SCHEDULE_LUA);
const COMPARE_AND_SET = script(COMPARE_AND_SET_LUA);

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

/**
 * A connection whose failures stay bounded: every command has a reply deadline, nothing is
 * queued while disconnected (a command that cannot be written fails at once instead of
 * running minutes later, after its caller gave up), and commands that were written but not
 * answered before a disconnect are not sent again on reconnect, for the same reason.
 */
function connect(url: string, opts: RedisStoreOptions): Redis {
  return new Redis(url, {
    lazyConnect: false,
    enableAutoPipelining: opts.autoPipelining ?? false,
    commandTimeout: opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: reconnectDelay,
  });
}

/**
 * Without an offline queue, a command sent while the connection is still being set up would
 * fail; this lets it wait for the connection, up to `waitMs`, then fail with a plain error.
 */
function connectionGate(redis: Redis, waitMs: number): () => Promise<void> {
  // Every command waiting for the same (re)connection shares one listener and one deadline.
  let waiting: Promise<void> | undefined;
  return () => {
    if (redis.status === 'ready' || redis.status === 'end') return Promise.resolve();
    waiting ??= new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(() => {
        redis.off('ready', done);
        reject(new Error(`Redis is not connected (waited ${waitMs} ms)`));
      }, waitMs);
      redis.once('ready', done);
    }).finally(() => {
      waiting = undefined;
    });
    return waiting;
  };
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
  const redis = owned ? connect(url, opts) : url;
  const prefix = opts.keyPrefix ?? '';
  const k = (key: string): string => prefix + key;
  const rateSet = k(opts.rateSetKey ?? DEFAULT_RATE_SET_KEY);
  /** ARGV of both limiter scripts: the rules' keys (members of the rate set), their parameters, then `extra`. */
  const gcraArgs = (rules: readonly RateRule[], extra: string[] = []): string[] => {
    const params = gcraParams(rules);
    return [String(rules.length), ...rules.map((r) => k(r.key)), ...gcraArgv(params), ...extra];
  };
  // A caller's own client keeps its own queueing rules; an owned one has no offline queue.
  const gate = owned ? connectionGate(redis, opts.connectWaitMs ?? DEFAULT_CONNECT_WAIT_MS) : undefined;
  const whenConnected = async (): Promise<void> => {
    if (gate && redis.status !== 'ready') await gate();
  };

  /**
   * Reads asked for in the same tick go out as one MGET: one command instead of one per
   * key (a job reads the person's language and the tenant's leave types side by side).
   */
  let pendingGets: Array<{ key: string; resolve: (value: string | null) => void; reject: (err: unknown) => void }> | undefined;
  const flushGets = (): void => {
    const batch = pendingGets ?? [];
    pendingGets = undefined;
    const only = batch.length === 1 ? batch[0] : undefined;
    if (only) {
      redis.get(only.key).then(only.resolve, only.reject);
      return;
    }
    redis.mget(batch.map((b) => b.key)).then(
      (values) => batch.forEach((b, i) => b.resolve(values[i] ?? null)),
      (err: unknown) => batch.forEach((b) => b.reject(err)),
    );
  };
  const batchedGet = (key: string): Promise<string | null> =>
    new Promise((resolve, reject) => {
      if (!pendingGets) {
        pendingGets = [];
        queueMicrotask(flushGets);
      }
      pendingGets.push({ key: k(key), resolve, reject });
    });

  // Without a listener, a refused connection would crash the process.
  const onError = (err: Error): void => opts.onError?.(err);
  redis.on('error', onError);

  return {
    kind: 'redis',

    get(key) {
      if (gate && redis.status !== 'ready') return gate().then(() => batchedGet(key));
      return batchedGet(key);
    },

    async set(key, value, setOpts) {
      await whenConnected();
      if (setOpts?.ttlMs === undefined) await redis.set(k(key), value);
      else await redis.set(k(key), value, 'PX', toTtlMs(setOpts.ttlMs));
    },

    async setIfAbsent(key, value, ttlMs) {
      await whenConnected();
      const reply = await redis.set(k(key), value, 'PX', toTtlMs(ttlMs), 'NX');
      return reply === 'OK';
    },

    async del(key) {
      await whenConnected();
      await redis.del(k(key));
    },

    async delIfEquals(key, value) {
      await whenConnected();
      const deleted = await runScript(redis, DEL_IF_EQUALS, [k(key)], [value]);
      return Number(deleted) === 1;
    },

    async compareAndSet(key, expected, next, casOpts) {
      await whenConnected();
      const ttl = casOpts?.ttlMs === undefined ? '' : String(toTtlMs(casOpts.ttlMs));
      const replaced = await runScript(redis, COMPARE_AND_SET, [k(key)], [expected, next, ttl]);
      return Number(replaced) === 1;
    },

    async ttlMs(key) {
      await whenConnected();
      const ttl = await redis.pttl(k(key));
      // -2: no such key; -1: no expiry.
      return ttl < 0 ? null : ttl;
    },

    async addToSet(key, member) {
      await whenConnected();
      await redis.sadd(k(key), member);
    },

    async removeFromSet(key, member) {
      await whenConnected();
      await redis.srem(k(key), member);
    },

    async isInSet(key, member) {
      await whenConnected();
      return (await redis.sismember(k(key), member)) === 1;
    },

    async setMembers(key) {
      await whenConnected();
      return redis.smembers(k(key));
    },

    async appendToLog(key, at, entry, retainMs) {
      await whenConnected();
      const replies = await redis
        .multi()
        .zadd(k(key), at, entry)
        .zremrangebyscore(k(key), '-inf', `(${at - retainMs}`)
        .exec();
      const failed = replies?.find(([err]) => err)?.[0];
      if (failed) throw failed;
    },

    async readLog(key, fromAt) {
      await whenConnected();
      return redis.zrangebyscore(k(key), fromAt, '+inf');
    },

    async reserve(rules: readonly RateRule[]) {
      await whenConnected();
      const argv = gcraArgs(rules);
      if (rules.length === 0) return 0;
      const wait = await runScript(redis, GCRA, [rateSet], argv);
      return Number(wait);
    },

    async schedule(rules: readonly RateRule[], maxDelayMs: number) {
      await whenConnected();
      const argv = gcraArgs(rules, [String(Math.max(0, Math.floor(maxDelayMs)))]);
      if (rules.length === 0) return { reserved: true, delayMs: 0 };
      const reply = await runScript(redis, GCRA_SCHEDULE, [rateSet], argv);
      const [reserved, delayMs] = Array.isArray(reply) ? reply.map(Number) : [0, Number.POSITIVE_INFINITY];
      return { reserved: reserved === 1, delayMs: Math.max(0, delayMs ?? 0) };
    },

    async ping() {
      await whenConnected();
      await withTimeout(redis.ping(), PING_TIMEOUT_MS, `Redis did not answer PING within ${PING_TIMEOUT_MS} ms`);
    },

    async close() {
      // Detach only afterwards: a late socket error during shutdown must still be caught.
      if (owned) await shutdown(redis);
      redis.off('error', onError);
    },
  };
}
