import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

export type RequestIdVariables = { requestId: string };

/** What an upstream proxy may hand us as an id: short, no spaces or path characters. */
const ACCEPTABLE = /^[\w\-=]{1,128}$/;

/**
 * Gives every request an id for its log lines: the caller's `X-Request-Id` when it is
 * sane, else a random UUID. The id is echoed in the `X-Request-Id` response header on
 * refusals and errors (≥ 400), where an operator needs to find the log line; plain acks
 * go without it, since touching response headers takes the slow path on the hot one.
 *
 * @example
 * app.use(requestId())
 * app.get('/x', (c) => c.text(c.get('requestId')))
 */
export const requestId = (): MiddlewareHandler<{ Variables: RequestIdVariables }> =>
  async function requestId(c, next) {
    const incoming = c.req.header('x-request-id');
    const id = incoming && ACCEPTABLE.test(incoming) ? incoming : randomUUID();
    c.set('requestId', id);
    await next();
    if (c.res.status >= 400) c.res.headers.set('X-Request-Id', id);
  };
