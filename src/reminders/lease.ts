import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StoreKeys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { PassCounts, type PassCheckpoint } from './pass.js';

export { PassSuperseded } from './pass.js';

/** The pass lock lives this long unrenewed (a dead holder's pass can be taken over after it). */
export const PASS_LOCK_TTL_MS = 60_000;

const Checkpoint = z.object({ cursor: z.string().optional(), startedAt: z.number(), counts: PassCounts });

/**
 * What the one pass lock holds: the pass, the execution of it that holds the lock (its
 * fencing token: a BullMQ delivery's token, or a fresh id), and the pass's last checkpoint.
 * Every write to it is a compare-and-set on the whole value, so an execution that was
 * superseded (another execution of the same pass took over) can no longer write anything.
 */
const LockState = z.object({ passId: z.string().min(1), execution: z.string().min(1), checkpoint: Checkpoint.optional() });
type LockState = z.output<typeof LockState>;

function decode(value: string): LockState | undefined {
  try {
    const parsed = LockState.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const encode = (state: LockState): string =>
  JSON.stringify(
    state.checkpoint
      ? {
          passId: state.passId,
          execution: state.execution,
          checkpoint: { ...(state.checkpoint.cursor === undefined ? {} : { cursor: state.checkpoint.cursor }), startedAt: state.checkpoint.startedAt, counts: state.checkpoint.counts },
        }
      : { passId: state.passId, execution: state.execution },
  );

/** The pass id a lock value names (a plain pass id from an older version counts too). */
export function passIdOfLock(value: string | null): string | undefined {
  if (value === null) return undefined;
  return decode(value)?.passId ?? value;
}

/**
 * One execution's hold on the pass lock. Operations run one after another (a renewal never
 * races a checkpoint of the same execution); each is one atomic compare-and-set in the store.
 */
export interface PassLease {
  readonly passId: string;
  readonly execution: string;
  /** The checkpoint the lock held when this execution took it over (undefined: start at the first page). */
  readonly checkpoint: PassCheckpoint | undefined;
  /** Extends the lock; false once this execution no longer holds it. */
  renew(): Promise<boolean>;
  /** Stores a checkpoint (and extends the lock) while still the holder; false once superseded. */
  save(checkpoint: PassCheckpoint): Promise<boolean>;
  /** Whether this execution still holds the lock. */
  holds(): Promise<boolean>;
  /** Lets go of the lock if still the holder. */
  release(): Promise<void>;
}

function leaseOf(store: Store, key: string, held: LockState, written: string): PassLease {
  let current = written;
  let lost = false;
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(op: () => Promise<T>): Promise<T> => {
    const run = chain.then(op, op);
    chain = run.catch(() => undefined);
    return run;
  };
  /** A value this execution may have written: its compare-and-set got no reply (a command timeout). */
  let uncertain: string | undefined;
  /** Ours when the lock holds what we wrote last, or a write of ours whose reply was lost. */
  function adopt(found: string | null): boolean {
    if (found === current) return true;
    if (uncertain !== undefined && found === uncertain) {
      current = uncertain;
      uncertain = undefined;
      return true;
    }
    return false;
  }
  /** CAS from what we wrote last; a reply lost on the way is recognised by the value later. */
  async function swap(nextOf: () => string): Promise<boolean> {
    for (let tries = 0; tries < 2 && !lost; tries++) {
      const next = nextOf();
      let replaced: boolean;
      try {
        replaced = await store.compareAndSet(key, current, next, { ttlMs: PASS_LOCK_TTL_MS });
      } catch (err) {
        uncertain = next;
        throw err;
      }
      if (replaced) {
        current = next;
        uncertain = undefined;
        return true;
      }
      const found = await store.get(key);
      if (found === next) {
        current = next;
        uncertain = undefined;
        return true;
      }
      // An earlier write of ours did land: retry from it once.
      if (!adopt(found)) lost = true;
    }
    return false;
  }
  return {
    passId: held.passId,
    execution: held.execution,
    checkpoint: held.checkpoint ? { cursor: held.checkpoint.cursor, startedAt: held.checkpoint.startedAt, counts: held.checkpoint.counts } : undefined,
    renew: () => serial(() => swap(() => current)),
    save: (cp) => {
      const next = encode({ passId: held.passId, execution: held.execution, checkpoint: cp });
      return serial(() => swap(() => next));
    },
    holds: () =>
      serial(async () => {
        if (!lost && !adopt(await store.get(key))) lost = true;
        return !lost;
      }),
    release: () =>
      serial(async () => {
        if (!lost && adopt(await store.get(key))) await store.delIfEquals(key, current);
        lost = true;
      }),
  };
}

/**
 * Takes the lock for a new pass; undefined while any pass holds it.
 *
 * @example
 * const lease = await claimPass(store, keys, passId)
 */
export async function claimPass(store: Store, keys: StoreKeys, passId: string, execution: string = randomUUID()): Promise<PassLease | undefined> {
  const state: LockState = { passId, execution };
  const value = encode(state);
  if (!(await store.setIfAbsent(keys.reminderPassLock(), value, PASS_LOCK_TTL_MS))) return undefined;
  return leaseOf(store, keys.reminderPassLock(), state, value);
}

/**
 * An execution of pass `passId` (a queued pass starting, or one resumed after its previous
 * execution died, stalled or failed) takes the lock over: from whatever execution of the
 * same pass holds it (which is thereby superseded), or anew when it lapsed, starting from
 * `fallback` (the checkpoint kept in the job) then. Undefined when another pass holds it.
 *
 * @example
 * const lease = await takeOverPass(store, keys, passId, bullToken, jobCheckpoint)
 */
export async function takeOverPass(
  store: Store,
  keys: StoreKeys,
  passId: string,
  execution: string,
  fallback?: PassCheckpoint,
): Promise<PassLease | undefined> {
  const key = keys.reminderPassLock();
  for (let tries = 0; tries < 10; tries++) {
    const found = await store.get(key);
    if (found === null) {
      const state: LockState = { passId, execution, ...(fallback ? { checkpoint: fallback } : {}) };
      const value = encode(state);
      if (await store.setIfAbsent(key, value, PASS_LOCK_TTL_MS)) return leaseOf(store, key, state, value);
      continue;
    }
    const held = decode(found);
    if ((held?.passId ?? found) !== passId) return undefined;
    // The lock's checkpoint is never older than the job's copy (it is written first).
    const checkpoint = held?.checkpoint ?? fallback;
    const state: LockState = { passId, execution, ...(checkpoint ? { checkpoint } : {}) };
    const value = encode(state);
    if (await store.compareAndSet(key, found, value, { ttlMs: PASS_LOCK_TTL_MS })) return leaseOf(store, key, state, value);
  }
  return undefined;
}
