import { Hono } from 'hono';
import type { Config } from './config.js';
import { createDeferredWork } from './http/deferred.js';
import { createIntake, type Intake, type IntakeDeps } from './http/intake.js';
import { ackTimer } from './http/middleware/ack-timer.js';
import { rawBody } from './http/middleware/raw-body.js';
import { requestId } from './http/middleware/request-id.js';
import { responseSent } from './http/middleware/response-sent.js';
import { adminReminders, healthz, metricsEndpoint, readyz } from './http/ops.js';
import { feishuWebhook, refuse, type WebhookEnv } from './http/webhook.js';
import { errorSummary } from './log.js';

/** Feishu bodies are a few KB; 1 MiB leaves room for big cards' form values and nothing more. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What the app needs: the intake's parts (store, sink, messenger, …) plus the config. */
export interface AppDeps extends Omit<IntakeDeps, 'work'> {
  config: Config;
  /** One reminder pass (the job module); `/admin/reminders/run` answers 501 without it. */
  runReminders?: () => Promise<unknown>;
  /** In websocket mode: whether the long connection is open (`/readyz` is 503 while it is not). */
  receiverUp?: () => boolean;
  /** Clock for the replay window (tests). */
  now?: () => number;
}

export interface BotApp {
  app: Hono<WebhookEnv>;
  /** Resolves when all deferred work (handlers, delayed card updates, reminder runs) has settled. */
  drain(): Promise<void>;
  /** Flips `/healthz` and `/readyz` to 503; requests are still served while the server closes. */
  startDraining(): void;
  /** Deferred work still running. */
  pending(): number;
  /** The verified-delivery path, for receivers other than HTTP (the long connection). */
  intake: Intake;
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
  const intake = createIntake({ ...deps, work });
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
    drain: () => work.drain(),
    startDraining: () => {
      draining = true;
    },
    pending: () => work.pending(),
    intake,
  };
}
