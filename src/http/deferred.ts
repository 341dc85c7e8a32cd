import { errorSummary, type Logger } from '../log.js';

/** Work that outlives the request that started it, tracked so shutdown can wait for it. */
export interface DeferredWork {
  /** Tracks `work` until it settles; a rejection is logged, never thrown. */
  defer(work: Promise<unknown>): void;
  /** Resolves when everything deferred so far (and anything it defers) has settled. */
  drain(): Promise<void>;
  pending(): number;
}

/**
 * The Node counterpart of Workers' `waitUntil`: a Set of promises awaited by graceful shutdown.
 *
 * @example
 * const work = createDeferredWork(logger)
 * work.defer(sink.onMessage(msg))
 * await work.drain()
 */
export function createDeferredWork(logger: Logger): DeferredWork {
  const inflight = new Set<Promise<void>>();
  return {
    defer(work) {
      const tracked: Promise<void> = work.then(
        () => undefined,
        (err: unknown) => logger.error({ err: errorSummary(err) }, 'deferred work failed'),
      );
      inflight.add(tracked);
      void tracked.finally(() => inflight.delete(tracked));
    },
    async drain() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
    pending: () => inflight.size,
  };
}

