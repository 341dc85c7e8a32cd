import type { Locale } from '../src/domain/locales.js';

/** Where and when a card is read: language, REMINDER_TIMEZONE and the current time. */
export interface CardContext {
  locale: Locale;
  timeZone: string;
  now: Date;
}

const toNumber = (raw: string | number | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  const s = raw.trim().replace(/,/g, '');
  if (s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
};

/**
 * A quantity (leave days, plain numbers) with up to `maxDecimals` decimals, for the locale.
 * Unparseable input is returned as given.
 *
 * @example
 * formatQuantity(1234.5, 'en-US') // '1,234.5'
 */
export function formatQuantity(raw: string | number | undefined, locale: Locale, maxDecimals = 2): string {
  const n = toNumber(raw);
  if (n === undefined) return raw === undefined || raw === '' ? '—' : String(raw);
  return new Intl.NumberFormat(locale, { maximumFractionDigits: maxDecimals }).format(n);
}

/**
 * A money amount in the reader's number format. With an ISO 4217 `currency` (resolved from
 * the record's currency id) it is written in that currency's style and decimals (`Intl`
 * currency style, e.g. 0 for JPY); without one, a plain number with exactly two decimals.
 *
 * @example
 * formatAmount('12000', 'zh-CN') // '12,000.00'
 * formatAmount('12000', 'en-US', 'USD') // '$12,000.00'
 * formatAmount('12000', 'zh-CN', 'JPY') // 'JP¥12,000'
 */
export function formatAmount(raw: string | number | undefined, locale: Locale, currency?: string): string {
  const n = toNumber(raw);
  if (n === undefined) return raw === undefined || raw === '' ? '—' : String(raw);
  if (currency) {
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(n);
    } catch {
      // Not a code Intl knows: the plain amount below.
    }
  }
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
}

/**
 * A percentage given in percent units ("12.5" → 12.5 %); a trailing "%" is accepted.
 *
 * @example
 * formatPercent('12.5', 'en-US') // '12.5%'
 */
export function formatPercent(raw: string | undefined, locale: Locale): string {
  const n = toNumber(raw?.replace(/%\s*$/, ''));
  if (n === undefined) return raw ? raw : '—';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(n / 100);
}

/**
 * A calendar date (`YYYY-MM-DD…`) or a millisecond/second timestamp, for the locale.
 * Calendar dates have no zone and are shown as they are; timestamps in `timeZone`.
 *
 * @example
 * formatDate('2025-01-31', { locale: 'en-US', timeZone: 'Asia/Shanghai' }) // 'Jan 31, 2025'
 */
export function formatDate(raw: string | undefined, ctx: Pick<CardContext, 'locale' | 'timeZone'>): string {
  if (!raw) return '—';
  const calendar = /^(\d{4})-(\d{2})-(\d{2})/.exec(raw);
  if (calendar) {
    const at = Date.UTC(Number(calendar[1]), Number(calendar[2]) - 1, Number(calendar[3]));
    return Number.isNaN(at) ? raw : new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(at);
  }
  if (/^\d{10,13}$/.test(raw)) {
    const ms = raw.length === 13 ? Number(raw) : Number(raw) * 1000;
    return new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeZone: ctx.timeZone }).format(ms);
  }
  return raw;
}

/**
 * A `YYYY-MM` month, e.g. for a header subtitle.
 *
 * @example
 * formatMonth('2025-01', 'zh-CN') // '2025年1月'
 */
export function formatMonth(month: string, locale: Locale): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, 1));
}

/** The moment a card was built, in REMINDER_TIMEZONE. */
export function formatMoment(ctx: CardContext): string {
  return new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: ctx.timeZone }).format(ctx.now);
}
