import { Redis } from 'ioredis';

/**
 * Deletes every key under the given prefixes (tests write dedupe and token keys that
 * would otherwise live for hours in the shared test Redis).
 *
 * @example
 * afterAll(() => deleteKeysWithPrefixes(url, ['test-http:ab12:']))
 */
export async function deleteKeysWithPrefixes(url: string, prefixes: readonly string[]): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    for (const prefix of prefixes) {
      for (let cursor = '0'; ; ) {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length) await redis.unlink(...keys);
        if ((cursor = next) === '0') break;
      }
    }
  } finally {
    await redis.quit();
  }
}
