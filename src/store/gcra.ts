import type { RateRule } from './types.js';

/**
 * GCRA (generic cell rate algorithm), shared by both stores so that memory and Redis
 * decide identically. Each rule keeps one number per key: its theoretical arrival
 * time (TAT, ms). The Lua twin of `decideGcra` lives in `GCRA_LUA` (Redis keeps the
 * numbers in one sorted set, see `GCRA_PRUNED_MEMBER`); change both together.
 */

/** A rule reduced to what GCRA needs. */
export interface GcraParams {
  /** Emission interval T = periodMs / limit: the spacing between two grants. */
  intervalMs: number;
  /** Tolerance τ = T × (burst − 1): how far ahead of the schedule a grant may come. */
  toleranceMs: number;
}

/** Outcome of one reserve: either wait `waitMs` (> 0), or store these new TATs (one per rule). */
export type GcraDecision = { granted: false; waitMs: number } | { granted: true; tats: number[] };

/**
 * Checks a rule list and converts it to GCRA parameters. Throws on nonsense instead
 * of silently granting or denying forever.
 *
 * @example
 * gcraParams([{ key: 'rl:app', limit: 1, periodMs: 1000 }]) // [{ intervalMs: 1000, toleranceMs: 0 }]
 */
export function gcraParams(rules: readonly RateRule[]): GcraParams[] {
  const seen = new Set<string>();
  return rules.map((rule) => {
    const burst = rule.burst ?? 1;
    if (!(rule.limit > 0) || !Number.isFinite(rule.limit)) {
      throw new RangeError(`rate rule ${rule.key}: limit must be a positive number, got ${rule.limit}`);
    }
    if (!(rule.periodMs > 0) || !Number.isFinite(rule.periodMs)) {
      throw new RangeError(`rate rule ${rule.key}: periodMs must be a positive number, got ${rule.periodMs}`);
    }
    if (!Number.isInteger(burst) || burst < 1) {
      throw new RangeError(`rate rule ${rule.key}: burst must be an integer ≥ 1, got ${burst}`);
    }
    // Two rules on one key would read the same TAT and overwrite each other's update.
    if (seen.has(rule.key)) throw new RangeError(`rate rule ${rule.key} appears twice in one reserve`);
    seen.add(rule.key);
    const intervalMs = rule.periodMs / rule.limit;
    return { intervalMs, toleranceMs: intervalMs * (burst - 1) };
  });
}

/**
 * The GCRA decision over all rules at once: grant only if every rule allows now.
 * `storedTats[i]` is rule i's stored TAT, or null when absent.
 *
 * @example
 * decideGcra(1000, [{ intervalMs: 1000, toleranceMs: 0 }], [null])   // { granted: true, tats: [2000] }
 * decideGcra(1000, [{ intervalMs: 1000, toleranceMs: 0 }], [2000])   // { granted: false, waitMs: 1000 }
 */
export function decideGcra(
  nowMs: number,
  params: readonly GcraParams[],
  storedTats: readonly (number | null)[],
): GcraDecision {
  const tats: number[] = [];
  let wait = 0;
  params.forEach((p, i) => {
    const tat = Math.max(storedTats[i] ?? nowMs, nowMs);
    const allowAt = tat - p.toleranceMs;
    if (allowAt > nowMs) wait = Math.max(wait, allowAt - nowMs);
    tats.push(tat + p.intervalMs);
  });
  if (wait > 0) return { granted: false, waitMs: Math.max(1, Math.ceil(wait)) };
  return { granted: true, tats };
}

/** Outcome of one schedule: the slot `delayMs` from now is reserved, or (too far off) nothing is. */
export type GcraSlot = { reserved: true; delayMs: number; tats: number[] } | { reserved: false; delayMs: number };

/**
 * GCRA that queues instead of refusing: the earliest moment every rule allows a call is
 * reserved now (each TAT moves past it), and the caller simply sleeps until then. A
 * waiting caller therefore costs one round trip, however long the queue. When that
 * moment is more than `maxDelayMs` away nothing is reserved.
 *
 * @example
 * scheduleGcra(1000, [{ intervalMs: 1000, toleranceMs: 0 }], [1500], 5000) // { reserved: true, delayMs: 500, tats: [2500] }
 */
export function scheduleGcra(
  nowMs: number,
  params: readonly GcraParams[],
  storedTats: readonly (number | null)[],
  maxDelayMs: number,
): GcraSlot {
  const tats = params.map((_, i) => Math.max(storedTats[i] ?? nowMs, nowMs));
  const go = params.reduce((at, p, i) => Math.max(at, (tats[i] ?? nowMs) - p.toleranceMs), nowMs);
  const delayMs = Math.ceil(go - nowMs);
  if (delayMs > maxDelayMs) return { reserved: false, delayMs };
  return { reserved: true, delayMs, tats: params.map((p, i) => Math.max(tats[i] ?? nowMs, go) + p.intervalMs) };
}

/** How long a bucket must live: once its TAT has passed it is equivalent to an absent key. */
export function bucketTtlMs(tat: number, nowMs: number): number {
  return Math.max(1, Math.ceil(tat - nowMs));
}

/** TATs are stored with µs precision, like the Lua `string.format('%.3f')`. */
export function formatTat(tat: number): string {
  return tat.toFixed(3);
}

/** Reads a stored TAT; anything unparsable counts as absent (like Lua `tonumber`). */
export function parseTat(raw: string | null | undefined): number | null {
  if (raw === null || raw === undefined || raw.trim() === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

/** Flattens parameters to the Lua script's ARGV: interval and tolerance per rule. */
export function gcraArgv(params: readonly GcraParams[]): string[] {
  return params.flatMap((p) => [String(p.intervalMs), String(p.toleranceMs)]);
}

/**
 * Where the Redis store keeps every rule's TAT: one sorted set (member: the rule's key,
 * score: its TAT in ms), so that one call reads all of its rules with one ZMSCORE and
 * writes them with one ZADD, however many rules it has (an IM send has three: the app's
 * 50/s and 1000/min and the receiver's 5/s). A TAT in the past counts as absent, so
 * members whose TAT has passed are dropped (one ZREMRANGEBYSCORE) at most once a second,
 * timed by the member `GCRA_PRUNED_MEMBER`, which the same ZMSCORE and ZADD carry.
 */
export const GCRA_PRUNED_MEMBER = '~pruned';

/** How often the set drops TATs that have passed (ms, server clock). */
export const GCRA_PRUNE_EVERY_MS = 1000;

/**
 * The shared head of both scripts: reads the server clock and every rule's TAT.
 * KEYS[1] is the sorted set; ARGV[1] the number of rules n, ARGV[2..n+1] their members,
 * then interval and tolerance (ms) per rule.
 */
const GCRA_READ_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local n = tonumber(ARGV[1])
local members = {}
for i = 1, n do members[i] = ARGV[1 + i] end
members[n + 1] = '${GCRA_PRUNED_MEMBER}'
local stored = redis.call('ZMSCORE', KEYS[1], unpack(members))
local function interval(i) return tonumber(ARGV[1 + n + 2 * i - 1]) end
local function tolerance(i) return tonumber(ARGV[1 + n + 2 * i]) end
local function write(tats)
  local pruned = tonumber(stored[n + 1])
  if not pruned or now - pruned >= ${GCRA_PRUNE_EVERY_MS} then
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%.3f', now))
    pruned = now
  end
  local args = {}
  for i = 1, n do
    args[#args + 1] = string.format('%.3f', tats[i])
    args[#args + 1] = members[i]
  end
  args[#args + 1] = string.format('%.3f', pruned)
  args[#args + 1] = members[n + 1]
  redis.call('ZADD', KEYS[1], unpack(args))
end
`;

/**
 * `decideGcra` in Lua, plus the write, on the sorted set (see `GCRA_PRUNED_MEMBER`).
 * Uses the Redis server clock so that instances with skewed clocks agree. Returns 0
 * when granted (every TAT written), else the wait in whole ms (≥ 1) with nothing written.
 * Four commands a call: TIME, ZMSCORE, ZADD and the EVALSHA itself (plus one
 * ZREMRANGEBYSCORE a second). One key, so it works on Redis Cluster as it is; needs
 * Redis ≥ 6.2 (ZMSCORE).
 */
export const GCRA_LUA = `${GCRA_READ_LUA}
local tats = {}
local wait = 0
for i = 1, n do
  local tat = tonumber(stored[i]) or now
  if tat < now then tat = now end
  local allowAt = tat - tolerance(i)
  if allowAt > now and allowAt - now > wait then wait = allowAt - now end
  tats[i] = tat + interval(i)
end
if wait > 0 then
  return math.max(1, math.ceil(wait))
end
write(tats)
return 0
`;

/**
 * `scheduleGcra` in Lua, plus the write: same KEYS and ARGV as `GCRA_LUA`, with the
 * longest acceptable delay (ms) as the last ARGV. Returns `{ reserved (1|0), delayMs }`.
 */
export const GCRA_SCHEDULE_LUA = `${GCRA_READ_LUA}
local maxDelay = tonumber(ARGV[#ARGV])
local tats = {}
local go = now
for i = 1, n do
  local tat = tonumber(stored[i]) or now
  if tat < now then tat = now end
  tats[i] = tat
  local allowAt = tat - tolerance(i)
  if allowAt > go then go = allowAt end
end
local delay = math.ceil(go - now)
if delay > maxDelay then
  return {0, delay}
end
for i = 1, n do
  local tat = tats[i]
  if tat < go then tat = go end
  tats[i] = tat + interval(i)
end
write(tats)
return {1, delay}
`;

/** Deletes KEYS[1] only when it holds ARGV[1]; returns 1 when deleted. */
export const DEL_IF_EQUALS_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/**
 * Compare-and-set: replace KEYS[1] with ARGV[2] only when it holds ARGV[1]. ARGV[3] is
 * the new TTL in ms, or "" to keep the current one. Returns 1 when replaced.
 */
export const COMPARE_AND_SET_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
if ARGV[3] == '' then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1
`;
