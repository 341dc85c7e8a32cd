import type { MiddlewareHandler } from 'hono';
import type { Metrics } from '../../metrics.js';

/**
 * Observes how long the webhook took to answer (`hrbot_webhook_ack_seconds{path}`);
 * Feishu gives up after 3 s, so this is the number to watch.
 *
 * @example
 * app.post('/webhook/event', ackTimer(metrics, '/webhook/event'), handler)
 */
export const ackTimer = (metrics: Metrics, path: string): MiddlewareHandler => {
  const histogram = metrics.ackLatency.labels({ path });
  return async function ackTimer(_c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      histogram.observe((performance.now() - started) / 1000);
    }
  };
};
