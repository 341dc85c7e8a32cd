import type { Context, Handler } from 'hono';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { errorSummary } from '../log.js';
import type { DeliveryContext, Intake, IntakeResult } from '../intake/intake.js';
import type { RawBodyVariables } from './middleware/raw-body.js';
import type { ResponseSentVariables } from './middleware/response-sent.js';
import { verifyDelivery, type VerifyOptions } from './verify.js';
import type { RequestIdVariables } from './middleware/request-id.js';

export type WebhookEnv = { Variables: RequestIdVariables & RawBodyVariables & ResponseSentVariables };

/**
 * A signed request whose timestamp is further than this from now is refused as a replay.
 * Feishu's docs do not say whether a retry is signed afresh, and its last retry comes
 * ~7.1 h after the first delivery, so the window covers that; replays inside it are
 * caught by dedupe, which remembers deliveries for 9 h.
 */
export const DEFAULT_MAX_SKEW_MS = 8 * 60 * 60 * 1000;

/**
 * Answers a refused request: counted, logged with request id and reason (never the body),
 * and a short JSON error. Shared by the body reader and the receivers.
 *
 * @example
 * return refuse(c, { logger, metrics }, 401, 'bad_token', 'verification token does not match')
 */
export function refuse(
  c: Context,
  deps: { logger: Logger; metrics: Metrics },
  status: 400 | 401 | 413,
  reason: string,
  message: string,
): Response {
  deps.metrics.verificationFailures.inc({ reason });
  deps.logger.warn({ requestId: c.get('requestId'), path: c.req.path, status, reason }, 'request refused');
  return c.json({ error: message }, status);
}

export interface FeishuWebhookOptions {
  verificationToken: string;
  encryptKey: string | undefined;
  /** Accept legacy message-card callbacks (only `/webhook/card`). */
  allowLegacyCard: boolean;
  intake: Intake;
  logger: Logger;
  metrics: Metrics;
  maxSkewMs?: number;
  now?: () => number;
}

/**
 * The HTTP receiver for Feishu pushes: verifies the raw body, answers `url_verification`,
 * hands events and callbacks to the intake and answers as soon as they are recorded.
 * Expects `rawBody()`, `requestId()` and `responseSent()` to run before it.
 *
 * @example
 * app.post('/webhook/event', rawBody({ maxBytes }), responseSent(),
 *   feishuWebhook({ verificationToken, encryptKey, allowLegacyCard: false, intake, logger, metrics }))
 */
export const feishuWebhook = (opts: FeishuWebhookOptions): Handler<WebhookEnv> => {
  const verifyOptions: VerifyOptions = {
    verificationToken: opts.verificationToken,
    encryptKey: opts.encryptKey,
    allowLegacyCard: opts.allowLegacyCard,
    maxSkewMs: opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS,
    now: opts.now ?? Date.now,
  };
  return async function feishuWebhook(c) {
    const delivery = verifyDelivery(c.get('rawBody'), c.req.raw.headers, verifyOptions);
    if ('status' in delivery) return refuse(c, opts, delivery.status, delivery.reason, delivery.message);
    if (delivery.kind === 'challenge') return c.json({ challenge: delivery.challenge });
    if (delivery.kind === 'legacy-event') {
      opts.metrics.eventsReceived.inc({ type: 'unsupported' });
      return c.json({});
    }

    let log: Logger | undefined;
    const requestId = c.get('requestId');
    const ctx: DeliveryContext = {
      requestId,
      // Built only when something is logged: a child logger per request costs on the hot path.
      get log() {
        return (log ??= opts.logger.child({ requestId }));
      },
      get responded() {
        return c.get('responded')();
      },
    };
    let result: IntakeResult;
    try {
      result =
        delivery.kind === 'event'
          ? await opts.intake.event(delivery.envelope, ctx)
          : await opts.intake.legacyCard(delivery.eventId, delivery.callback, ctx);
    } catch (err) {
      // The store could not record the delivery: 503 makes Feishu push it again later.
      ctx.log.error({ err: errorSummary(err) }, 'could not record delivery');
      return c.json({ error: 'temporarily unable to record the event' }, 503);
    }
    if (result.status === 400) return refuse(c, opts, 400, result.reason, result.message);
    return c.json(result.body);
  };
};
