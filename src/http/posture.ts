import type { Config } from '../config.js';

/** What to do about token-only mode; the same words go to the start-up log and to `doctor`. */
export const ENCRYPT_KEY_FIX =
  'set an Encrypt Key in the developer console (Events & Callbacks → Encryption Strategy) and the same value in FEISHU_ENCRYPT_KEY';

/**
 * Why this configuration is weaker than it should be, or undefined when it is not.
 * Without an Encrypt Key Feishu signs nothing, so the verification token is the only guard
 * and it travels in every plain request body. The long connection is authenticated by the
 * app credentials instead, so websocket mode serves no webhook and is not affected.
 *
 * @example
 * const weak = tokenOnlyWeakness(config)
 * if (weak) logger.warn({ fix: ENCRYPT_KEY_FIX }, weak)
 */
export function tokenOnlyWeakness(config: Pick<Config, 'feishu'>): string | undefined {
  if (config.feishu.eventMode !== 'webhook' || config.feishu.encryptKey) return undefined;
  return 'FEISHU_ENCRYPT_KEY is not set: webhook requests are checked by the verification token alone, which travels in every request body (token-only mode is weak)';
}
