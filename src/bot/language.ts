import { normaliseLocale, type Locale } from '../domain/locales.js';
import type { Store } from '../store/types.js';
import type { StoreKeys } from '../store/keys.js';

const HAN = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;

/**
 * The language a message is written in, by script: any Chinese character → zh-CN,
 * otherwise Latin letters → en-US; digits and emoji alone say nothing.
 *
 * @example
 * localeOfText('payslip 一月') // 'zh-CN'
 * localeOfText('payslip Jan')  // 'en-US'
 */
export function localeOfText(text: string | undefined): Locale | undefined {
  if (!text) return undefined;
  const withoutMentions = text.replace(/@_user_\d+|@_all/g, '');
  if (HAN.test(withoutMentions)) return 'zh-CN';
  if (LATIN.test(withoutMentions)) return 'en-US';
  return undefined;
}

/**
 * Reply language: the person's stored choice, else `hint` (the script of their message,
 * or the language of the card they clicked), else the configured default.
 */
export async function resolveLocale(
  store: Store,
  keys: StoreKeys,
  openId: string,
  hint: Locale | undefined,
  fallback: Locale,
): Promise<Locale> {
  const stored = normaliseLocale(await store.get(keys.userLocale(openId)));
  return stored ?? hint ?? fallback;
}

/** Remembers a person's language choice (no expiry: it is their setting). */
export async function saveLocale(store: Store, keys: StoreKeys, openId: string, locale: Locale): Promise<void> {
  await store.set(keys.userLocale(openId), locale);
}
