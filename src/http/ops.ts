import type { Handler } from 'hono';
import type { Registry } from 'prom-client';
import type { Logger } from '../log.js';
import type { Store } from '../store/types.js';
import { safeEqual } from './crypto.js';
import type { DeferredWork } from './deferred.js';
import { errorSummary } from '../log.js';

/**
 * Liveness: 200 while serving, 503 once shutdown has begun so load balancers stop sending.
 *
 * @example
 * app.get('/healthz', healthz({ isDraining: () => draining }))
 */
export const healthz = (opts: { isDraining: () => boolean }): Handler =>
  async function healthz(c) {
    return opts.isDraining() ? c.json({ status: 'draining' }, 503) : c.json({ status: 'ok' });
  };

/**
 * Readiness: 200 when the store answers a ping within `timeoutMs` and the event receiver is up
 * (the long connection, in websocket mode); 503 otherwise, and while draining.
 *
 * @example
 * app.get('/readyz', readyz({ store, isDraining: () => false }))
 */
export const readyz = (opts: { store: Store; isDraining: () => boolean; receiverUp?: () => boolean; timeoutMs?: number }): Handler =>
  async function readyz(c) {
    if (opts.isDraining()) return c.json({ status: 'draining' }, 503);
    if (opts.receiverUp && !opts.receiverUp()) return c.json({ status: 'unavailable', receiver: 'long connection down' }, 503);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('store ping timed out')), opts.timeoutMs ?? 1000);
    });
    try {
      await Promise.race([opts.store.ping(), timeout]);
      return c.json({ status: 'ready', store: opts.store.kind });
    } catch {
      return c.json({ status: 'unavailable', store: opts.store.kind }, 503);
    } finally {
      clearTimeout(timer);
    }
  };

/**
 * Prometheus text exposition of `registry`.
 *
 * @example
 * app.get('/metrics', metricsEndpoint(metrics.registry))
 */
export const metricsEndpoint = (registry: Registry): Handler =>
  async function metricsEndpoint(c) {
    return c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType });
  };

/** What starting a reminder pass answers (see `src/reminders/runner.ts`). */
export type StartPass = () => Promise<
  { started: true; passId: string; done?: Promise<unknown> } | { started: false; passId: string | undefined }
>;

export interface AdminRemindersOptions {
  /** Bearer token; the route answers 404 when unset, as if it did not exist. */
  adminToken: string | undefined;
  runReminders?: StartPass | undefined;
  work: DeferredWork;
  logger: Logger;
}

/**
 * `POST /admin/reminders/run`: starts one reminder pass and answers 202 with its id; 409 while
 * a pass runs (on any instance); 401 without the right bearer token.
 *
 * @example
 * app.post('/admin/reminders/run', adminReminders({ adminToken, runReminders, work, logger }))
 */
export const adminReminders = (opts: AdminRemindersOptions): Handler =>
  async function adminReminders(c) {
    if (!opts.adminToken) return c.json({ error: 'not found' }, 404);
    const header = c.req.header('authorization') ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (!safeEqual(presented, opts.adminToken)) {
      return c.json({ error: 'a valid bearer token is required' }, 401, { 'WWW-Authenticate': 'Bearer' });
    }
    if (!opts.runReminders) {
      return c.json({ error: 'reminder runs are not available in this build (no reminder job wired in)' }, 501);
    }
    let result: Awaited<ReturnType<StartPass>>;
    try {
      result = await opts.runReminders();
    } catch (err) {
      opts.logger.error({ err: errorSummary(err, { message: false }) }, 'reminder pass could not start');
      return c.json({ error: 'the reminder pass could not be started; try again shortly' }, 503);
    }
    if (!result.started) return c.json({ status: 'already running', passId: result.passId ?? null }, 409);
    // In-process passes count as deferred work, so a graceful stop waits for them.
    if (result.done) opts.work.defer(result.done.then(() => undefined, () => undefined));
    return c.json({ status: 'started', passId: result.passId }, 202);
  };
