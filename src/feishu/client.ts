import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { createLimitRules, type LimitOverrides } from './limits.js';
import { createMessenger } from './messenger.js';
import { bodyCode, bodyMsg, createSend, isRecord, type RetryPolicy, type Send } from './outbound.js';
import { createTokenProvider, type IssuedToken, type TokenProvider } from './token.js';
import { createSdkExchange, type Exchange, type Reply } from './transport.js';
import { FeishuApiError, RateLimitTimeoutError, type FeishuApi, type FeishuApiName, type FeishuCallOptions, type FeishuRequest, type Messenger } from './types.js';
import { apiPath } from './apis.js';

export type { TokenProvider } from './token.js';

/** Codes meaning "this token is no good": drop it and retry once with a fresh one. */
export const TOKEN_CODES: ReadonlySet<number> = new Set([99991661, 99991663, 99991664]);
/** Missing permission scope; Feishu's msg names the scope. */
const MISSING_SCOPE = 99991672;

/**
 * Reads whose identical in-flight requests share one upstream call (same API, path, query
 * and body: for pay data that means the same person and period). Nothing is cached: a
 * request arriving after the answer makes its own call.
 */
export const COALESCED_APIS: ReadonlySet<FeishuApiName> = new Set<FeishuApiName>([
  'payroll.paymentDetail',
  'compensation.lumpSum',
  'corehr.leaveBalances',
  'corehr.leaveTypes',
  'corehr.idConvert',
  'contact.user',
  'bot.info',
  'corehr.currencies',
  'compensation.items',
]);

export interface FeishuClientDeps {
  appId: string;
  appSecret: string;
  /** `https://open.feishu.cn`, `https://open.larksuite.com`, or a fake in tests. */
  baseUrl: string;
  store: Store;
  logger: Logger;
  metrics: Metrics;
  /** Replace published limits, e.g. `{ 'payroll.paymentDetail': [perSecond(1)] }`. */
  limits?: LimitOverrides;
  retry?: RetryPolicy;
  /** Waits between retries and token polls; tests may inject a fake. */
  sleep?: (ms: number) => Promise<void>;
  /** Per-attempt HTTP timeout. Default 15 s. */
  timeoutMs?: number;
  /** Replaces the SDK transport (tests of the policy alone). */
  exchange?: Exchange;
}

export interface FeishuClient {
  api: FeishuApi;
  messenger: Messenger;
  token: TokenProvider;
}

const TokenAnswer = z.object({ tenant_access_token: z.string().min(1), expire: z.number().positive() });

/**
 * The one outbound door to Feishu: shared token, shared rate limits, bounded
 * retries, typed errors, metrics. Create one per process and app.
 *
 * @example
 * const feishu = createFeishuClient({ appId, appSecret, baseUrl, store, logger, metrics })
 * const page = await feishu.api.call('corehr.leaveTypes',
 *   { method: 'GET', url: '/open-apis/corehr/v1/leaves/leave_types', params: { page_size: '100' } }, LeaveTypesPage)
 * await feishu.messenger.send({ openId }, card, { uuid: `reply:${messageId}` })
 */
export function createFeishuClient(deps: FeishuClientDeps): FeishuClient {
  const sleep = deps.sleep ?? ((ms: number) => delay(ms));
  const exchange = deps.exchange ?? createSdkExchange(deps);
  const send = createSend({
    store: deps.store,
    rulesFor: createLimitRules(deps.appId, deps.limits),
    exchange,
    logger: deps.logger,
    metrics: deps.metrics,
    sleep,
    retry: deps.retry,
  });

  const token = createTokenProvider({
    store: deps.store,
    keys: storeKeys(deps.appId),
    fetchToken: () => fetchToken(send, deps),
    sleep,
  });

  /** In-flight coalesced reads, per answer schema (the same request may be parsed differently). */
  const inflight = new WeakMap<z.ZodType, Map<string, Promise<unknown>>>();
  function coalesced<T>(schema: z.ZodType, key: string, run: () => Promise<T>): Promise<T> {
    let calls = inflight.get(schema);
    if (!calls) inflight.set(schema, (calls = new Map()));
    const running = calls.get(key);
    if (running) return running as Promise<T>;
    const started = run().finally(() => calls.delete(key));
    calls.set(key, started);
    return started;
  }

  const api: FeishuApi = {
    call(name, req, schema, opts) {
      if (!COALESCED_APIS.has(name)) return callOnce(name, req, schema, opts);
      const key = JSON.stringify([name, req.method, req.url, req.params ?? null, req.data ?? null, opts?.topLevel === true]);
      return coalesced(schema, key, () => callOnce(name, req, schema, opts));
    },
  };

  async function callOnce<S extends z.ZodType>(name: FeishuApiName, req: FeishuRequest, schema: S, opts?: FeishuCallOptions): Promise<z.output<S>> {
    const stopTimer = deps.metrics.outboundDuration.startTimer({ api: name });
    try {
      const reply = await callWithToken(name, req, opts);
      const data = parseData(name, reply, schema, opts?.topLevel === true);
      deps.metrics.outboundCalls.inc({ api: name, result: 'ok' });
      return data;
    } catch (err) {
      deps.metrics.outboundCalls.inc({ api: name, result: resultLabel(err) });
      throw err;
    } finally {
      stopTimer();
    }
  }

  /** Sends with the shared token; on a token error drops it (if still current) and tries once more. */
  async function callWithToken(name: FeishuApiName, req: FeishuRequest, opts: FeishuCallOptions = {}): Promise<Reply> {
    const sendOpts = { scope: { receiver: opts.receiver, messageId: opts.messageId }, maxWaitMs: opts.maxWaitMs };
    const first = await token.get();
    let reply = await send(name, req, { ...sendOpts, token: first });
    const code = bodyCode(reply.body);
    if (code !== undefined && TOKEN_CODES.has(code)) {
      deps.logger.info({ api: name, code }, 'feishu token rejected; refreshing once');
      await token.invalidate(first);
      reply = await send(name, req, { ...sendOpts, token: await token.get() });
    }
    return expectOk(name, reply, deps.logger);
  }

  return { api, token, messenger: createMessenger(api) };
}

/** Fetches a new tenant_access_token through the same limiter and retry path. */
async function fetchToken(send: Send, deps: FeishuClientDeps): Promise<IssuedToken> {
  const reply = expectOk(
    'auth.tenantToken',
    await send('auth.tenantToken', {
      method: 'POST',
      url: apiPath('auth.tenantToken'),
      data: { app_id: deps.appId, app_secret: deps.appSecret },
    }, {}),
    deps.logger,
  );
  const parsed = TokenAnswer.safeParse(reply.body);
  if (!parsed.success) throw schemaError('auth.tenantToken', reply, parsed.error);
  return { token: parsed.data.tenant_access_token, expireSeconds: parsed.data.expire };
}

/** Throws FeishuApiError unless the reply is a 2xx with `code: 0`. */
function expectOk(api: FeishuApiName, reply: Reply, logger: Logger): Reply {
  const code = bodyCode(reply.body);
  if (reply.status >= 200 && reply.status < 300 && code === 0) return reply;
  const logId = reply.header('x-tt-logid');
  const msg = bodyMsg(reply.body) ?? (code === undefined ? `unexpected answer (HTTP ${reply.status}, no code)` : 'no message');
  if (code === MISSING_SCOPE) {
    // Feishu's msg names the missing scope; that is what an operator needs to grant it.
    logger.warn({ api, code, status: reply.status, scope: msg, logId }, 'feishu permission missing');
  } else {
    // Callers handle most business codes (e.g. "employee not found"); the token endpoint failing is an operator matter.
    const level = api === 'auth.tenantToken' || reply.status >= 500 ? 'warn' : 'info';
    logger[level]({ api, code, status: reply.status, logId }, 'feishu call rejected');
  }
  throw new FeishuApiError(api, code ?? 0, msg, reply.status, logId);
}

/** Parses `data` of a successful reply; a mismatch names the paths, never the values (HR data). */
function parseData<S extends z.ZodType>(api: FeishuApiName, reply: Reply, schema: S, topLevel: boolean): z.output<S> {
  const data = topLevel ? reply.body : isRecord(reply.body) ? reply.body.data : undefined;
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw schemaError(api, reply, parsed.error);
  return parsed.data;
}

function schemaError(api: FeishuApiName, reply: Reply, error: z.ZodError): FeishuApiError {
  const where = error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`)
    .join('; ');
  return new FeishuApiError(api, 0, `response did not match the expected schema (${where})`, reply.status, reply.header('x-tt-logid'));
}

function resultLabel(err: unknown): string {
  if (err instanceof FeishuApiError) return err.transient ? 'transient_error' : 'error';
  if (err instanceof RateLimitTimeoutError) return 'limiter_timeout';
  return 'error';
}

/**
 * The client of the configured app: credentials and base URL from `config`.
 *
 * @example
 * const feishu = feishuClientFor(config, { store, logger, metrics })
 */
export function feishuClientFor(
  config: Pick<Config, 'feishu'>,
  deps: Omit<FeishuClientDeps, 'appId' | 'appSecret' | 'baseUrl'>,
): FeishuClient {
  const { appId, appSecret, baseUrl } = config.feishu;
  return createFeishuClient({ appId, appSecret, baseUrl, ...deps });
}
