/**
 * Cloudflare Workers entry (optional target; `src/main.ts` on Node is the main one). Only the
 * default export: workerd takes every named export for an entrypoint. See `worker-handler.ts`.
 *
 * Deferred work keeps `ctx.waitUntil` (see `worker-handler.ts`): BullMQ needs a Node process.
 * Not here yet: `scheduled` (reminders) and `queue`, a later issue.
 */
import { createWorker } from './worker-handler.js';

export type { WorkerEnv, WorkerExecutionContext } from './worker-handler.js';

export default createWorker();
