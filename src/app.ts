import type { StartPass } from './http/ops.js';
import { Hono } from 'hono';
import type { Config } from './config.js';
import { createDeferredWork } from './http/deferred.js';
import { createIntake, type Intake, type IntakeDeps } from './intake/intake.js';
import { ackTimer } from './http/middleware/ack-timer.js';
import { rawBody } from './http/middleware/raw-body.js';
import { requestId } from './http/middleware/request-id.js';
import { responseSent } from './http/middleware/response-sent.js';
import { adminReminders, healthz, metricsEndpoint, readyz } from './http/ops.js';
import { feishuWebhook, refuse, type WebhookEnv } from './http/webhook.js';
import { createIntakePressure, type IntakePressure } from './jobs/intake-pressure.js';
import { createMemoryQueue } from './jobs/memory.js';
import { createJobProcessor } from './jobs/runner.js';
import type { WorkQueue, WorkQueueOptions } from './jobs/types.js';
import { errorSummary } from './log.js';

/** Feishu bodies are a few KB; 1 MiB leaves room for big cards' form values and nothing more. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What the app needs: the intake's parts (store, sink, messenger, …) plus the config. */
export interface AppDeps extends Omit<IntakeDeps, 'work' | 'queue'> {
  config: Config;
  /**
   * Where deferred work goes. Without one the app runs its own in-process queue with a
   * worker (memory mode, one instance, not crash-safe), settled by `drain()`.
   */
  queue?: WorkQueue;
  /** Options of that in-process queue (tests shorten the backoff). */
  queueOptions?: WorkQueueOptions;
  /** One reminder pass (the job module); `/admin/reminders/run` answers 501 without it. */
  runReminders?: StartPass | undefined;
  /** In websocket mode: whether the long connection is open (`/readyz` is 503 while it is not). */
  receiverUp?: () => boolean;
  /** Clock for the replay window (tests). */
  now?: () => number;
  /** How busy this process's intake is (default: one of its own; tests pass their own bounds). */
  pressure?: IntakePressure;
}

export interface BotApp {
  app: Hono<WebhookEnv>;
  /**
   * Resolves when all deferred work (delayed card updates, reminder runs, and the jobs of
   * an in-process queue) has settled; an external queue is closed by its owner.
   */
  drain(): Promise<void>;
  /** The queue the intake feeds. */
  queue: WorkQueue;
  /** Flips `/healthz` and `/readyz` to 503; requests are still served while the server closes. */
  startDraining(): void;
  /** Deferred work still running. */
  pending(): number;
  /** The verified-delivery path, for receivers other than HTTP (the long connection). */
  intake: Intake;
  /** How busy the intake is: this process's job processors let a burst's acks go first. */
  pressure: IntakePressure;
}

/**
 * The HTTP face of a `worker` process: health, readiness and metrics only (no webhooks,
 * no admin routes), so an orchestrator can probe and scrape it.
 *
 * @example
 * const ops = createOpsApp({ store, metrics, isDraining: () => false })
 */
export function createOpsApp(deps: { store: AppDeps['store']; metrics: AppDeps['metrics']; isDraining: () => boolean }): Hono {
  const app = new Hono();
  app.get('/healthz', healthz({ isDraining: deps.isDraining }));
  app.get('/readyz', readyz({ store: deps.store, isDraining: deps.isDraining }));
  app.get('/metrics', metricsEndpoint(deps.metrics.registry));
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  return app;
}

/**
 * Builds the HTTP app from its dependencies. Pure: no listening, no process handlers,
 * so `main.ts`, tests and benchmarks share it.
 *
 * @example
 * const { app, drain } = createApp({ config, store, keys, sink, messenger, logger, metrics })
 * const res = await app.request('/healthz')
 */
export function createApp(deps: AppDeps): BotApp {
  const { config, logger, metrics } = deps;
  const work = createDeferredWork(logger);
  const pressure =
    deps.pressure ??
    createIntakePressure({
      onHold: (heldMs, jobs) => {
        metrics.intakeHolds.inc();
        metrics.jobsHeld.inc(jobs);
        logger.debug({ heldMs: Math.round(heldMs), jobs }, 'jobs waited for an intake burst');
      },
    });
  const ownQueue = deps.queue ? undefined : createMemoryQueue({ ...deps.queueOptions, logger });
  const queue = deps.queue ?? ownQueue!;
  ownQueue?.startWorker(createJobProcessor({ sink: deps.sink, logger, metrics, pressure }));
  const intake = createIntake({ ...deps, work, queue, pressure });
  let draining = false;
  const isDraining = () => draining;

  const app = new Hono<WebhookEnv>();
  app.use(requestId());

  const readBody = rawBody({
    maxBytes: MAX_BODY_BYTES,
    onReject: (c, status, reason, message) => refuse(c, deps, status, reason, message),
  });
  // In websocket mode events arrive over the long connection: no webhook route is served at all.
  if (config.feishu.eventMode === 'webhook') {
    const webhooks = [
      ['/webhook/event', false],
      ['/webhook/card', config.feishu.legacyCardCallbacks],
    ] as const;
    for (const [path, allowLegacyCard] of webhooks) {
      app.post(
        path,
        ackTimer(metrics, path),
        readBody,
        responseSent(),
        feishuWebhook({
          verificationToken: config.feishu.verificationToken,
          encryptKey: config.feishu.encryptKey,
          allowLegacyCard,
          intake,
          logger,
          metrics,
          now: deps.now,
        }),
      );
    }
  }

  app.get('/healthz', healthz({ isDraining }));
  app.get('/readyz', readyz({ store: deps.store, isDraining, receiverUp: deps.receiverUp }));
  app.get('/metrics', metricsEndpoint(metrics.registry));
  app.post(
    '/admin/reminders/run',
    adminReminders({ adminToken: config.adminToken, runReminders: deps.runReminders, work, logger }),
  );

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    logger.error({ requestId: c.get('requestId'), path: c.req.path, err: errorSummary(err) }, 'unhandled error');
    return c.json({ error: 'internal error' }, 500);
  });

  return {
    app,
    drain: async () => {
      await work.drain();
      await ownQueue?.idle?.();
      await work.drain();
    },
    queue,
    startDraining: () => {
      draining = true;
    },
    pending: () => work.pending(),
    intake,
    pressure,
  };
}
