import { LOCALES, normaliseLocale, type Locale } from './locales.js';

/** A name in the languages the bot speaks; either may be missing upstream. */
export type LocalizedName = Partial<Record<Locale, string>>;

/** One i18n entry as HR systems give it: CoreHR spells the language `lang`, Payroll `locale`. */
export interface I18nEntry {
  lang?: string | undefined;
  locale?: string | undefined;
  value: string;
}

/**
 * Collects upstream i18n entries into a LocalizedName (first non-empty value per language wins).
 *
 * @example
 * namesFromI18n([{ lang: 'zh-CN', value: '年假' }, { locale: 'en_us', value: 'Annual' }])
 * // { 'zh-CN': '年假', 'en-US': 'Annual' }
 */
export function namesFromI18n(entries: readonly I18nEntry[] | undefined): LocalizedName {
  const out: LocalizedName = {};
  for (const entry of entries ?? []) {
    const locale = normaliseLocale(entry.lang ?? entry.locale);
    const value = entry.value.trim();
    if (locale && value && !out[locale]) out[locale] = value;
  }
  return out;
}

/**
 * Fills the gaps of `primary` from `fallback` (e.g. a balance's names from the leave-type list).
 *
 * @example
 * mergeNames({ 'zh-CN': '年假' }, { 'en-US': 'Annual' }) // both languages
 */
export function mergeNames(primary: LocalizedName, fallback: LocalizedName | undefined): LocalizedName {
  const out: LocalizedName = { ...primary };
  for (const locale of LOCALES) {
    if (!out[locale] && fallback?.[locale]) out[locale] = fallback[locale];
  }
  return out;
}

/**
 * The name in the reader's language, else in the other one, else `fallback`.
 *
 * @example
 * nameIn({ 'zh-CN': '年假' }, 'en-US', '?') // '年假'
 */
export function nameIn(name: LocalizedName, locale: Locale, fallback: string): string {
  return name[locale] ?? LOCALES.map((l) => name[l]).find((v) => v) ?? fallback;
}

/** Every known spelling of a name, for matching leave types to codes. */
export function allNames(name: LocalizedName): string[] {
  return LOCALES.map((l) => name[l]).filter((v): v is string => Boolean(v));
}
