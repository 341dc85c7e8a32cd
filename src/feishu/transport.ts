import * as lark from '@larksuiteoapi/node-sdk';
import { withoutTrailingSlashes } from '../config.js';
import type { FeishuRequest, QueryValue } from './types.js';

/**
 * What came back from one HTTP exchange, success or not, in one shape so the retry
 * policy can decide on plain data. `status` 0 means no HTTP answer (network error,
 * timeout); `networkError` then says what happened.
 */
export interface Reply {
  status: number;
  body: unknown;
  header(name: string): string | undefined;
  networkError?: string;
}

/** Performs one HTTP exchange; never throws. */
export type Exchange = (req: FeishuRequest, token?: string) => Promise<Reply>;

/**
 * An exchange over the SDK's `Client.request` (axios underneath), pointed at
 * `baseUrl`.
 *
 * Token: the SDK is built with `disableTokenCache: true`, so it never consults its
 * process-global token cache (keyed by appId and shared by every Client in the
 * process) and never adds an Authorization header itself; we pass `Bearer <token>`
 * from our store-backed provider. A private no-op cache is passed as well so that
 * nothing of this client can ever land in the global one.
 *
 * Logging: the SDK logs the whole axios error, request body included, on every
 * failure; it gets a logger that drops everything. We log our own safe fields.
 *
 * @example
 * const exchange = createSdkExchange({ appId, appSecret, baseUrl: 'https://open.feishu.cn' })
 * const reply = await exchange({ method: 'GET', url: '/open-apis/corehr/v1/leaves/leave_types' }, token)
 */
export function createSdkExchange(opts: {
  appId: string;
  appSecret: string;
  baseUrl: string;
  timeoutMs?: number;
}): Exchange {
  const sdk = new lark.Client({
    appId: opts.appId,
    appSecret: opts.appSecret,
    domain: withoutTrailingSlashes(opts.baseUrl),
    disableTokenCache: true,
    cache: noCache,
    logger: silentSdkLogger,
    loggerLevel: lark.LoggerLevel.fatal,
  });
  const timeout = opts.timeoutMs ?? 15_000;

  return async (req, token) => {
    const config = {
      method: req.method,
      url: withQuery(req.url, req.params),
      data: req.data,
      timeout,
      // The SDK's axios interceptor then resolves to `{ data, headers }` instead of the body.
      $return_headers: true,
    };
    try {
      const res = await sdk.request<{ data: unknown; headers: unknown }>(
        config as Parameters<typeof sdk.request>[0],
        token ? lark.withTenantToken(token) : undefined,
      );
      return { status: 200, body: res.data, header: headerReader(res.headers) };
    } catch (err) {
      return replyFromError(err);
    }
  };
}

/** Axios throws on non-2xx (Feishu answers many business errors with 400); the body is on `err.response`. */
function replyFromError(err: unknown): Reply {
  const response = isRecord(err) && isRecord(err.response) ? err.response : undefined;
  if (response && typeof response.status === 'number') {
    return { status: response.status, body: response.data, header: headerReader(response.headers) };
  }
  const code = isRecord(err) && typeof err.code === 'string' ? err.code : undefined;
  const message = err instanceof Error ? err.message : String(err);
  return { status: 0, body: undefined, header: () => undefined, networkError: code ?? message };
}

/**
 * Appends the query with arrays as repeated keys (`a=1&a=2`), which Feishu expects and
 * axios would otherwise send as `a[]=1`. Undefined values are left out.
 *
 * @example withQuery('/x', { ids: ['1', '2'], page_size: 20 }) // '/x?ids=1&ids=2&page_size=20'
 */
export function withQuery(url: string, params?: Record<string, QueryValue>): string {
  if (!params) return url;
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) query.append(key, String(v));
    else query.append(key, String(value));
  }
  const qs = query.toString();
  if (!qs) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${qs}`;
}

function headerReader(headers: unknown): (name: string) => string | undefined {
  return (name) => {
    if (!isRecord(headers)) return undefined;
    const value = headers[name.toLowerCase()];
    if (value === undefined || value === null) return undefined;
    return Array.isArray(value) ? String(value[0]) : String(value);
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

const noop = () => undefined;
const silentSdkLogger = { error: noop, warn: noop, info: noop, debug: noop, trace: noop };
const noCache = {
  get: async () => undefined,
  set: async () => true,
};
