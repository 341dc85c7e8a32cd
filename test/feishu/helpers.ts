/**
 * Builds Feishu clients against the msw fake and a real Redis (TEST_REDIS_URL), one
 * Redis connection per "instance", so tests exercise what several processes share.
 */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { createFeishuClient, type FeishuClient, type FeishuClientDeps } from '../../src/feishu/client.js';
import { silentLogger } from '../../src/log.js';
import { createMetrics, type Metrics } from '../../src/metrics.js';
import { createRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import type { FeishuMock } from '../support/feishu-mock.js';

export interface TestInstance {
  client: FeishuClient;
  store: Store;
  metrics: Metrics;
}

/** Stores opened by `instance()`; close them in afterEach with `closeInstances()`. */
const open: Store[] = [];

/** One bot "instance": its own Redis connection and metrics, sharing `appId` with others. */
export function instance(
  mock: FeishuMock,
  appId: string,
  overrides: Partial<FeishuClientDeps> = {},
): TestInstance {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set (test/support/global-setup.ts)');
  const store = createRedisStore(url);
  open.push(store);
  const metrics = createMetrics();
  const client = createFeishuClient({
    appId,
    appSecret: 'sec-ret-value',
    baseUrl: mock.baseUrl,
    store,
    logger: silentLogger,
    metrics,
    // Fast backoff keeps retry tests short; reset headers are still honoured as sent.
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
    ...overrides,
  });
  return { client, store, metrics };
}

export async function closeInstances(): Promise<void> {
  await Promise.all(open.splice(0).map((s) => s.close()));
}

/** A pino logger that keeps every line, to assert what is (not) logged. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

/** Gaps between consecutive timestamps, sorted. */
export function gaps(times: number[]): number[] {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.slice(1).map((t, i) => t - (sorted[i] ?? t));
}
