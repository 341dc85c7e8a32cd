import { loadConfig, type Config } from '../../src/config.js';
import { VERIFICATION_TOKEN } from './feishu-events.js';
import { testAppId } from './feishu-mock.js';

/**
 * A valid configuration for tests: a fresh app id (so SDK token caches and store keys
 * never collide), the Feishu fake's base URL, silent logs; `env` overrides any variable.
 *
 * @example
 * const config = testConfig({ FEISHU_BASE_URL: mock.baseUrl, FEISHU_ENCRYPT_KEY: ENCRYPT_KEY })
 */
export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    FEISHU_APP_ID: testAppId(),
    FEISHU_APP_SECRET: 'secret_test',
    FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    FEISHU_BASE_URL: 'http://feishu.test',
    LOG_LEVEL: 'silent',
    ...env,
  });
}
