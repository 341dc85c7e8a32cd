/** The languages the bot speaks, read by config, router, services and cards alike. */

/** The locales the bot has catalogues for. Feishu's own spellings (`zh_cn`) are mapped by `normaliseLocale`. */
export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * Maps Feishu's and people's spellings (`zh_cn`, `en`, `EN-us`) to a supported locale.
 *
 * @example
 * normaliseLocale('zh_cn') // 'zh-CN'
 */
export function normaliseLocale(raw: string | undefined | null): Locale | undefined {
  if (!raw) return undefined;
  const s = raw.trim().toLowerCase().replace('_', '-');
  if (s.startsWith('zh')) return 'zh-CN';
  if (s.startsWith('en')) return 'en-US';
  return undefined;
}

/** The other language, e.g. for a "switch language" button. */
export function otherLocale(locale: Locale): Locale {
  return locale === 'zh-CN' ? 'en-US' : 'zh-CN';
}
