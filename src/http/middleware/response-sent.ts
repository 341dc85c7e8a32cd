import type { HttpBindings } from '@hono/node-server';
import type { MiddlewareHandler } from 'hono';

export type ResponseSentVariables = {
  /** Settles once the response has been written (Node server) or handed back (elsewhere). */
  responded: () => Promise<void>;
};

/**
 * Puts `c.var.responded()` in scope. Feishu rejects a delayed card update that arrives
 * before the callback's answer, so such updates wait on it. Listeners are attached only when
 * someone asks, since almost no request does (it is on the webhook's hot path).
 *
 * @example
 * app.post('/webhook/card', responseSent(), (c) => { c.get('responded')().then(updateLater); return c.json({}) })
 */
export const responseSent = (): MiddlewareHandler<{ Variables: ResponseSentVariables }> =>
  async function responseSent(c, next) {
    const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
    let handedBack = false;
    let markHandedBack: (() => void) | undefined;
    let sent: Promise<void> | undefined;
    c.set('responded', () =>
      (sent ??= new Promise<void>((resolve) => {
        if (outgoing && typeof outgoing.once === 'function') {
          if (outgoing.writableFinished || outgoing.destroyed) return resolve();
          outgoing.once('finish', () => resolve());
          outgoing.once('close', () => resolve());
        } else if (handedBack) resolve();
        else markHandedBack = resolve;
      })),
    );
    try {
      await next();
    } finally {
      // Without a Node response to watch, the answer is gone once the handler chain returns.
      handedBack = true;
      if (markHandedBack) setImmediate(markHandedBack);
    }
  };
