/**
 * Makes sure a Redis answers before any test runs and exports its URL as
 * TEST_REDIS_URL. `scripts/ensure-redis.mjs` (run by `npm test`) starts one if
 * needed; this is the second line of defence when vitest is run directly.
 */
import { ensureRedis } from '../../scripts/ensure-redis.mjs';

export default async function setup(): Promise<void> {
  const url = await ensureRedis();
  process.env.TEST_REDIS_URL = url;
}
