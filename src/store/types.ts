/**
 * One rate rule for the distributed limiter: at most `limit` grants per `periodMs`
 * on `key`, spread evenly (GCRA), with up to `burst` grants allowed back to back
 * (default 1 = strictly spaced).
 */
export interface RateRule {
  key: string;
  limit: number;
  periodMs: number;
  burst?: number;
}

/**
 * Everything several bot instances must share: tokens, dedupe keys, limiter state,
 * preferences, approvals, reminder progress. Memory and Redis implementations pass
 * the same test suite (`test/store/store.contract.ts`).
 *
 * All keys passed in are already built by `src/store/keys.ts`.
 */
export interface Store {
  readonly kind: 'memory' | 'redis';

  get(key: string): Promise<string | null>;
  /** Sets a value; with `ttlMs` it expires after that many milliseconds. */
  set(key: string, value: string, opts?: { ttlMs?: number }): Promise<void>;
  /** Sets only when absent (SET NX PX). True when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  del(key: string): Promise<void>;
  /** Deletes only when the current value equals `value` (safe lock release). True when deleted. */
  delIfEquals(key: string, value: string): Promise<boolean>;
  /**
   * Replaces the value only when it currently equals `expected` (one atomic step across
   * instances: of several callers holding the same `expected`, exactly one wins). With
   * `ttlMs` the new value expires after that long; without, the key keeps its TTL.
   * True when this call replaced it.
   */
  compareAndSet(key: string, expected: string, next: string, opts?: { ttlMs?: number }): Promise<boolean>;
  /** Remaining time to live in ms; null when the key is absent or has no expiry. */
  ttlMs(key: string): Promise<number | null>;

  /** Set membership (e.g. reminder subscribers). */
  addToSet(key: string, member: string): Promise<void>;
  removeFromSet(key: string, member: string): Promise<void>;
  isInSet(key: string, member: string): Promise<boolean>;
  setMembers(key: string): Promise<string[]>;

  /**
   * Appends `entry` to a time-ordered log at time `at` (ms) and drops entries older than
   * `at - retainMs`. Entries must be unique (equal strings are kept once).
   */
  appendToLog(key: string, at: number, entry: string, retainMs: number): Promise<void>;
  /** The log's entries from `fromAt` (ms, inclusive) on, oldest first. */
  readLog(key: string, fromAt: number): Promise<string[]>;

  /**
   * Atomically checks every rule (GCRA). When all allow a grant now, records it on
   * all of them and returns 0; otherwise records nothing and returns how many ms to
   * wait before trying again (always > 0).
   */
  reserve(rules: readonly RateRule[]): Promise<number>;

  /**
   * Atomically reserves the earliest slot every rule allows (GCRA, queueing): resolves
   * with how many ms from now the caller may go (0 = now). When that is more than
   * \`maxDelayMs\` away, nothing is recorded and \`reserved\` is false.
   */
  schedule(rules: readonly RateRule[], maxDelayMs: number): Promise<{ reserved: boolean; delayMs: number }>;

  /** Resolves when the store answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
