/**
 * `npm start` for process tests: the real server from the environment (BOT_ROLE, REDIS_URL…),
 * plus test-only queue tuning (unique BullMQ prefix, short locks so a killed worker's jobs
 * come back in about a second, small concurrency). Prints `READY <port>` when listening and
 * exits 0 after a graceful SIGTERM stop.
 */
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/main.js';

const env = process.env;
const config = loadConfig(env);
const number = (name: string): number | undefined => (env[name] ? Number(env[name]) : undefined);
const running = await startServer(config, {
  queue: {
    ...(env.TEST_QUEUE_PREFIX ? { prefix: env.TEST_QUEUE_PREFIX } : {}),
    lockDurationMs: number('TEST_LOCK_MS') ?? 1_000,
    stalledIntervalMs: number('TEST_STALLED_MS') ?? 500,
    concurrency: number('TEST_CONCURRENCY') ?? 8,
  },
  drainTimeoutMs: number('TEST_DRAIN_MS') ?? 10_000,
});
process.stdout.write(`READY ${running.port}\n`);
process.once('SIGTERM', () => {
  running.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
