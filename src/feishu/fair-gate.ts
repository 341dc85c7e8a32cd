import { LimiterTimeoutError } from '../store/limiter.js';

/** One queued call: `go` waits for the limiter slot; the waiter settles with it. */
interface Waiter {
  go: (maxWaitMs: number) => Promise<void>;
  deadline: number;
  signal?: AbortSignal;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * A per-process waiting room for one scarce limit (e.g. payroll, 1/s for the whole app):
 * people take turns (round robin), and only the caller at the head asks the shared
 * limiter for a slot, so one person's burst of thirty asks delays another person's by
 * at most a slot or two, and the store sees one round trip per call.
 *
 * @example
 * const gate = createFairGate()
 * await gate.enter('ou_1', 60_000, (maxWaitMs) => acquire(store, rules, { maxWaitMs }).then(() => undefined))
 */
export function createFairGate(now: () => number = () => performance.now()) {
  const lanes = new Map<string, Waiter[]>();
  /** People with waiters, in turn order. */
  const turns: string[] = [];
  let running = false;

  function next(): Waiter | undefined {
    for (;;) {
      const person = turns.shift();
      if (person === undefined) return undefined;
      const lane = lanes.get(person) ?? [];
      const waiter = lane.shift();
      if (lane.length > 0) turns.push(person);
      else lanes.delete(person);
      if (waiter) return waiter;
    }
  }

  async function serve(): Promise<void> {
    running = true;
    try {
      for (let waiter = next(); waiter; waiter = next()) {
        const remaining = waiter.deadline - now();
        try {
          waiter.signal?.throwIfAborted();
          if (remaining < 0) throw new LimiterTimeoutError([], remaining, 0);
          await waiter.go(remaining);
          waiter.resolve();
        } catch (err) {
          waiter.reject(err);
        }
      }
    } finally {
      running = false;
    }
  }

  return {
    /** Waits for `person`'s turn, then for the slot `go` reserves; rejects as `go` does. */
    enter(person: string, maxWaitMs: number, go: Waiter['go'], signal?: AbortSignal): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { go, deadline: now() + maxWaitMs, signal, resolve, reject };
        const lane = lanes.get(person);
        if (lane) lane.push(waiter);
        else {
          lanes.set(person, [waiter]);
          turns.push(person);
        }
        if (!running) void serve();
      });
    },
    /** Callers waiting for their turn (not counting the one at the head). */
    waiting: () => [...lanes.values()].reduce((n, lane) => n + lane.length, 0),
  };
}

export type FairGate = ReturnType<typeof createFairGate>;
