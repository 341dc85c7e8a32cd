import { bucketTtlMs, decideGcra, formatTat, gcraParams, parseTat, scheduleGcra } from './gcra.js';
import { toTtlMs } from './ttl.js';
import type { RateRule, Store } from './types.js';

/** How often expired keys are dropped even if nobody reads them again. */
const SWEEP_INTERVAL_MS = 30_000;

type Entry =
  | { type: 'string'; value: string; expiresAt: number | null }
  | { type: 'set'; members: Set<string>; expiresAt: number | null }
  | { type: 'log'; entries: Map<string, number>; expiresAt: null };

/** Same wording as Redis, so callers see one error for one mistake. */
function wrongType(key: string): Error {
  return new Error(`WRONGTYPE Operation against a key holding the wrong kind of value (${key})`);
}

/**
 * A single-process store for development and tests: same semantics as the Redis
 * store (TTLs, sets, GCRA reserve), but nothing is shared between processes.
 * `now` lets tests drive time; it also drives the limiter clock.
 *
 * @example
 * const store = createMemoryStore()
 * await store.set('k', 'v', { ttlMs: 1000 })
 * await store.get('k') // 'v'
 * await store.close()
 */
export function createMemoryStore(opts: { now?: () => number } = {}): Store {
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>();

  /** Lazy expiry: an expired entry is dropped the moment anyone looks at it. */
  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function liveString(key: string): string | null {
    const entry = live(key);
    if (!entry) return null;
    if (entry.type !== 'string') throw wrongType(key);
    return entry.value;
  }

  function liveSet(key: string): Set<string> | undefined {
    const entry = live(key);
    if (entry && entry.type !== 'set') throw wrongType(key);
    return entry?.members;
  }

  function liveLog(key: string): Map<string, number> | undefined {
    const entry = live(key);
    if (entry && entry.type !== 'log') throw wrongType(key);
    return entry?.entries;
  }

  function writeString(key: string, value: string, ttlMs: number | null): void {
    entries.set(key, { type: 'string', value, expiresAt: ttlMs === null ? null : now() + ttlMs });
  }

  function sweep(): void {
    for (const key of [...entries.keys()]) live(key);
  }

  // Without the sweep, keys nobody reads again (dedupe markers) would pile up forever.
  const sweeper = setInterval(sweep, SWEEP_INTERVAL_MS);
  sweeper.unref();

  return {
    kind: 'memory',

    async get(key) {
      return liveString(key);
    },

    async set(key, value, setOpts) {
      // Like Redis SET: a plain set clears any previous TTL.
      writeString(key, value, setOpts?.ttlMs === undefined ? null : toTtlMs(setOpts.ttlMs));
    },

    async setIfAbsent(key, value, ttlMs) {
      const ttl = toTtlMs(ttlMs);
      if (live(key)) return false;
      writeString(key, value, ttl);
      return true;
    },

    async del(key) {
      entries.delete(key);
    },

    async delIfEquals(key, value) {
      if (liveString(key) !== value) return false;
      entries.delete(key);
      return true;
    },

    async compareAndSet(key, expected, next, casOpts) {
      if (liveString(key) !== expected) return false;
      const keep = entries.get(key)?.expiresAt ?? null;
      const ttl = casOpts?.ttlMs === undefined ? undefined : toTtlMs(casOpts.ttlMs);
      entries.set(key, { type: 'string', value: next, expiresAt: ttl === undefined ? keep : now() + ttl });
      return true;
    },

    async ttlMs(key) {
      const entry = live(key);
      if (!entry || entry.expiresAt === null) return null;
      return Math.max(0, entry.expiresAt - now());
    },

    async addToSet(key, member) {
      const members = liveSet(key);
      if (members) members.add(member);
      else entries.set(key, { type: 'set', members: new Set([member]), expiresAt: null });
    },

    async removeFromSet(key, member) {
      const members = liveSet(key);
      if (!members) return;
      members.delete(member);
      // Redis drops a set when its last member goes; mirror that.
      if (members.size === 0) entries.delete(key);
    },

    async isInSet(key, member) {
      return liveSet(key)?.has(member) ?? false;
    },

    async setMembers(key) {
      return [...(liveSet(key) ?? [])];
    },

    async appendToLog(key, at, entry, retainMs) {
      let log = liveLog(key);
      if (!log) {
        log = new Map();
        entries.set(key, { type: 'log', entries: log, expiresAt: null });
      }
      log.set(entry, at);
      for (const [e, t] of log) if (t < at - retainMs) log.delete(e);
    },

    async readLog(key, fromAt) {
      const log = liveLog(key);
      if (!log) return [];
      // Like a sorted set: by time, then by the entry itself.
      return [...log]
        .filter(([, t]) => t >= fromAt)
        .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map(([e]) => e);
    },

    async reserve(rules: readonly RateRule[]) {
      const params = gcraParams(rules);
      const at = now();
      const stored = rules.map((rule) => parseTat(liveString(rule.key)));
      const decision = decideGcra(at, params, stored);
      if (!decision.granted) return decision.waitMs;
      decision.tats.forEach((tat, i) => {
        const rule = rules[i];
        // Store the rounded TAT exactly as the Lua script does, so both decide alike.
        if (rule) writeString(rule.key, formatTat(tat), bucketTtlMs(tat, at));
      });
      return 0;
    },

    async schedule(rules: readonly RateRule[], maxDelayMs: number) {
      const params = gcraParams(rules);
      const at = now();
      const stored = rules.map((rule) => parseTat(liveString(rule.key)));
      const slot = scheduleGcra(at, params, stored, maxDelayMs);
      if (!slot.reserved) return { reserved: false, delayMs: slot.delayMs };
      slot.tats.forEach((tat, i) => {
        const rule = rules[i];
        if (rule) writeString(rule.key, formatTat(tat), bucketTtlMs(tat, at));
      });
      return { reserved: true, delayMs: slot.delayMs };
    },

    async ping() {},

    async close() {
      clearInterval(sweeper);
      entries.clear();
    },
  };
}
