import * as lark from '@larksuiteoapi/node-sdk';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { errorSummary } from '../log.js';
import type { DeliveryContext, Intake } from '../intake/intake.js';
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

/**
 * The SDK hands its logger one array per call (`['[ws]', 'connect failed', err]`). Keep the
 * words and error messages, which name the cause (`connect ECONNREFUSED …`, `code: 1000040350,
 * system busy`), drop objects (request bodies can hold HR data), strip query strings from
 * URLs (connection tickets), and cap the length.
 */
export function sdkLogText(args: readonly unknown[]): string {
  const parts: string[] = [];
  const add = (part: unknown): void => {
    if (typeof part === 'string' || typeof part === 'number') parts.push(String(part));
    else if (part instanceof Error) parts.push(part.message);
    else if (Array.isArray(part)) part.forEach(add);
  };
  args.forEach(add);
  const text = parts.join(' ').replace(/(wss?:\/\/[^\s?]*)\?\S*/g, '$1?…');
  return (text || 'lark sdk message without text').slice(0, 300);
}

/** The SDK's logger on ours; `onProblem` also hears each error and warning text (the cause of a failed attempt). */
function sdkLogger(logger: Logger, onProblem?: (text: string) => void): lark.Logger {
  const problem = (level: 'error' | 'warn', args: unknown[]): void => {
    const text = sdkLogText(args);
    logger[level]({ source: 'lark-ws' }, text);
    onProblem?.(text);
  };
  return {
    error: (...args: unknown[]) => problem('error', args),
    warn: (...args: unknown[]) => problem('warn', args),
    info: (...args: unknown[]) => logger.info({ source: 'lark-ws' }, sdkLogText(args)),
    debug: (...args: unknown[]) => logger.debug({ source: 'lark-ws' }, sdkLogText(args)),
    trace: (...args: unknown[]) => logger.trace({ source: 'lark-ws' }, sdkLogText(args)),
  };
}

/**
 * The SDK's HTTP client for the endpoint call, with one repair: when Feishu refuses the
 * connection (`code` ≠ 0) its answer carries no `data`, and the SDK, destructuring
 * `data.URL` before it looks at `code`, fails with a TypeError and loses the code. Giving
 * such an answer an empty `data` lets the SDK report `code: …, msg` as it means to.
 */
export function endpointHttpInstance(
  base: { request(opts: lark.HttpRequestOptions<unknown>): Promise<unknown> } = lark.defaultHttpInstance,
): lark.HttpInstance {
  const request = async <R>(opts: lark.HttpRequestOptions<unknown>): Promise<R> => {
    const answer = await base.request(opts);
    if (typeof answer === 'object' && answer !== null && 'code' in answer && answer.code !== 0) {
      const data = (answer as { data?: unknown }).data;
      if (typeof data !== 'object' || data === null) return { ...answer, data: {} } as R;
    }
    return answer as R;
  };
  const bodiless = (method: string) => <R>(url: string, opts?: lark.HttpRequestOptions<unknown>) => request<R>({ ...opts, url, method });
  const withBody = (method: string) => <R>(url: string, data?: unknown, opts?: lark.HttpRequestOptions<unknown>) =>
    request<R>({ ...opts, url, method, data });
  return {
    request,
    get: bodiless('get'),
    delete: bodiless('delete'),
    head: bodiless('head'),
    options: bodiless('options'),
    post: withBody('post'),
    put: withBody('put'),
    patch: withBody('patch'),
  };
}

export interface LongConnection {
  /** True while the socket to Feishu is open; `/readyz` is 503 otherwise. */
  isUp(): boolean;
  close(): void;
}

/**
 * Every event and callback type the bot handles. The long connection registers exactly
 * these; the webhook intake serves the same set; the app manifest lists them for the console.
 */
export const HANDLED_EVENT_TYPES = [
  'im.message.receive_v1',
  'card.action.trigger',
  'application.bot.menu_v6',
  'im.chat.access_event.bot_p2p_chat_entered_v1',
] as const;
export type HandledEventType = (typeof HANDLED_EVENT_TYPES)[number];

/** What the SDK's EventDispatcher calls, keyed by event type. */
export type LongConnectionHandlers = Record<HandledEventType, (data: Record<string, unknown>) => Promise<unknown>>;

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
    'application.bot.menu_v6': async (data) => {
      await deliver('application.bot.menu_v6', data);
    },
    'im.chat.access_event.bot_p2p_chat_entered_v1': async (data) => {
      await deliver('im.chat.access_event.bot_p2p_chat_entered_v1', data);
    },
  };
}

/** The app ids the SDK's WSClient accepts (it refuses to start for any other). */
export const LONG_CONNECTION_APP_ID = /^cli_[0-9a-f]{16}$/i;

/** Pauses between reconnect attempts: doubling from 1 s to a minute, each ±20 %. */
export const RECONNECT_BACKOFF_MS = { first: 1_000, max: 60_000 } as const;
/** How often the supervisor looks at the socket's state. */
const WATCH_INTERVAL_MS = 1_000;
/** No frame within this long after a ping: the connection is dead even if TCP has not noticed. */
const PING_TIMEOUT_S = 30;
const HANDSHAKE_TIMEOUT_MS = 10_000;

export interface LongConnectionOptions {
  config: Config;
  intake: Intake;
  logger: Logger;
  metrics: Metrics;
  /** Backoff override (tests). */
  backoff?: { first: number; max: number };
}

/**
 * The long-connection receiver (`FEISHU_EVENT_MODE=websocket`): the SDK's WSClient feeds
 * `im.message.receive_v1` and `card.action.trigger` into the same intake as the webhook,
 * so dedupe, ack-first and the card deadline behave identically.
 *
 * A supervisor owns reconnection instead of the SDK (whose first retry waits two minutes):
 * it watches the socket every second, replaces a client whose connection failed or died
 * (the SDK's ping watchdog notices silent drops), backs off exponentially, and logs and
 * counts every attempt with its cause.
 *
 * @example
 * const ws = startLongConnection({ config, intake, logger, metrics })
 * ws.isUp() // → false until Feishu accepted the connection
 * ws.close()
 */
export function startLongConnection(deps: LongConnectionOptions): LongConnection {
  const { logger, metrics } = deps;
  if (!LONG_CONNECTION_APP_ID.test(deps.config.feishu.appId)) {
    // The SDK would only log "invalid appId" and never connect; no retry can change that.
    metrics.longConnectionUp.set(0);
    logger.error(
      { cause: 'FEISHU_APP_ID is not an app id of the form cli_ followed by 16 hex characters (see Credentials & Basic Info)' },
      'long connection could not start',
    );
    return { isUp: () => false, close: () => undefined };
  }
  const backoff = deps.backoff ?? RECONNECT_BACKOFF_MS;
  const dispatcher = new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.warn, logger: sdkLogger(logger) }).register(
    createLongConnectionHandlers(deps),
  );

  let client: lark.WSClient | undefined;
  let up = false;
  let closed = false;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;

  const setUp = (value: boolean): void => {
    up = value;
    metrics.longConnectionUp.set(value ? 1 : 0);
  };

  /** What the SDK reported during the current attempt: its own error only says "connect failed". */
  let problems: string[] = [];
  const causeOf = (err: unknown): string => [...new Set([...problems, sdkLogText([err])])].join('; ').slice(0, 500);

  const connect = (): void => {
    if (closed) return;
    attempt++;
    problems = [];
    const current = new lark.WSClient({
      appId: deps.config.feishu.appId,
      appSecret: deps.config.feishu.appSecret,
      domain: deps.config.feishu.baseUrl,
      loggerLevel: lark.LoggerLevel.warn,
      logger: sdkLogger(logger, (text) => {
        if (current === client && problems.length < 10) problems.push(text);
      }),
      httpInstance: endpointHttpInstance(),
      autoReconnect: false,
      handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
      wsConfig: { pingTimeout: PING_TIMEOUT_S },
      onReady: () => {
        if (current !== client) return;
        logger.info({ attempt }, 'long connection ready');
        attempt = 0;
        setUp(true);
      },
      onError: (err: Error) => {
        if (current !== client) return;
        logger.error({ attempt, cause: causeOf(err) }, 'long connection failed');
        reconnectLater();
      },
    });
    client = current;
    void current.start({ eventDispatcher: dispatcher }).catch((err: unknown) => {
      if (current !== client) return;
      logger.error({ attempt, cause: causeOf(err) }, 'long connection could not start');
      reconnectLater();
    });
  };

  const reconnectLater = (): void => {
    if (closed || retryTimer) return;
    setUp(false);
    client?.close({ force: true });
    const base = Math.min(backoff.max, backoff.first * 2 ** Math.max(0, attempt - 1));
    const delayMs = Math.round(base * (0.8 + Math.random() * 0.4));
    logger.warn({ attempt: attempt + 1, delayMs }, 'long connection down; reconnecting');
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      metrics.longConnectionReconnects.inc();
      connect();
    }, delayMs);
    retryTimer.unref();
  };

  const watch = setInterval(() => {
    if (closed || retryTimer || !client) return;
    const state = client.getConnectionStatus().state;
    if (state === 'connected') {
      if (!up) setUp(true);
    } else if (up || state === 'failed') {
      // Anything but `connected` after having been up means the socket closed (peer, network,
      // or the ping watchdog); with the SDK's own reconnect off it then stays down.
      if (up) logger.warn({ state }, 'long connection lost');
      reconnectLater();
    }
  }, WATCH_INTERVAL_MS);
  watch.unref();

  setUp(false);
  connect();
  return {
    isUp: () => up,
    close: () => {
      closed = true;
      clearInterval(watch);
      clearTimeout(retryTimer);
      setUp(false);
      client?.close({ force: true });
    },
  };
}
