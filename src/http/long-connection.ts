import * as lark from '@larksuiteoapi/node-sdk';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { errorSummary } from '../log.js';
import type { DeliveryContext, Intake } from './intake.js';
import type { V2Envelope } from './schemas.js';

/**
 * The SDK hands handlers a flattened event: `{ ...header, ...event, schema }` (for card
 * callbacks `event.token`, the update token, overwrites the header's). The intake wants the
 * envelope back; no token is needed because the connection itself was authenticated.
 */
function envelopeOf(eventType: string, data: Record<string, unknown>): V2Envelope | undefined {
  const eventId = data.event_id;
  if (typeof eventId !== 'string' || eventId.length === 0) return undefined;
  const optional = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    schema: '2.0',
    header: {
      event_id: eventId,
      event_type: eventType,
      token: '',
      create_time: optional(data.create_time),
      app_id: optional(data.app_id),
      tenant_key: optional(data.tenant_key),
    },
    event: data,
  };
}

/** The SDK logs request bodies on errors (HR data); pass on only its first, plain-string part. */
function sdkLogger(logger: Logger): lark.Logger {
  const first = (args: unknown[]) => (typeof args[0] === 'string' ? args[0].slice(0, 200) : 'lark sdk message');
  return {
    error: (...args: unknown[]) => logger.error({ source: 'lark-ws' }, first(args)),
    warn: (...args: unknown[]) => logger.warn({ source: 'lark-ws' }, first(args)),
    info: (...args: unknown[]) => logger.info({ source: 'lark-ws' }, first(args)),
    debug: (...args: unknown[]) => logger.debug({ source: 'lark-ws' }, first(args)),
    trace: (...args: unknown[]) => logger.trace({ source: 'lark-ws' }, first(args)),
  };
}

export interface LongConnection {
  close(): void;
}

/** What the SDK's EventDispatcher calls, keyed by event type. */
export type LongConnectionHandlers = Record<'im.message.receive_v1' | 'card.action.trigger', (data: Record<string, unknown>) => Promise<unknown>>;

/**
 * The dispatcher handlers of the long connection: flattened SDK events back into envelopes,
 * then the same intake as the webhook. The card handler's return value is the callback answer.
 *
 * @example
 * new lark.EventDispatcher({}).register(createLongConnectionHandlers({ intake, logger }))
 */
export function createLongConnectionHandlers(deps: { intake: Intake; logger: Logger }): LongConnectionHandlers {
  const { intake, logger } = deps;

  const deliver = async (eventType: string, data: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const envelope = envelopeOf(eventType, data);
    if (!envelope) {
      logger.warn({ eventType, reason: 'no_event_id' }, 'long-connection event refused');
      return {};
    }
    let markSent!: () => void;
    const ctx: DeliveryContext = { log: logger, responded: new Promise<void>((resolve) => (markSent = resolve)) };
    try {
      const result = await intake.event(envelope, ctx);
      if (result.status === 400) logger.warn({ eventId: envelope.header.event_id, reason: result.reason }, 'long-connection event refused');
      return result.status === 200 ? result.body : {};
    } catch (err) {
      // Like the webhook's 503: the SDK acks with code 500, so Feishu pushes the event again later.
      logger.error({ eventId: envelope.header.event_id, err: errorSummary(err) }, 'could not record delivery');
      throw err;
    } finally {
      // The SDK writes the ACK frame right after we return; give it a moment before any delayed update.
      setTimeout(markSent, 200).unref();
    }
  };

  return {
    'im.message.receive_v1': async (data) => {
      await deliver('im.message.receive_v1', data);
    },
    'card.action.trigger': (data) => deliver('card.action.trigger', data),
  };
}

/**
 * The long-connection receiver (`FEISHU_EVENT_MODE=websocket`): the SDK's WSClient feeds
 * `im.message.receive_v1` and `card.action.trigger` into the same intake as the webhook,
 * so dedupe, ack-first and the card deadline behave identically.
 *
 * @example
 * const ws = startLongConnection({ config, intake, logger })
 * // on shutdown
 * ws.close()
 */
export function startLongConnection(deps: { config: Config; intake: Intake; logger: Logger }): LongConnection {
  const { logger } = deps;
  const dispatcher = new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.warn, logger: sdkLogger(logger) }).register(
    createLongConnectionHandlers(deps),
  );

  const client = new lark.WSClient({
    appId: deps.config.feishu.appId,
    appSecret: deps.config.feishu.appSecret,
    domain: deps.config.feishu.baseUrl,
    loggerLevel: lark.LoggerLevel.warn,
    logger: sdkLogger(logger),
    onReady: () => logger.info('long connection ready'),
    onError: (err: Error) => logger.error({ err: errorSummary(err) }, 'long connection failed'),
  });
  void client.start({ eventDispatcher: dispatcher }).catch((err: unknown) => {
    logger.error({ err: errorSummary(err) }, 'long connection could not start');
  });
  return { close: () => client.close({ force: true }) };
}
