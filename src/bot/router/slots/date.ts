/**
 * Dates for `asOf` and `expirationDate`: "2025-12-31", "2025年12月31日",
 * "4月30号", "april 30", "6月底", "end of June", "年底", "end of the year".
 * A day or month-end without a year falls in the current year (the contract's
 * rule for `asOf`: "6月底" asked in March is this June).
 */
import { daysInMonth, formatDate, isValidDate, shiftMonth, type CalendarDate } from '../calendar.js';
import { CN_NUMBER, MONTH_NAME, MONTH_NUMBER, monthOfName, parseNumber } from './numerals.js';

/** A date found in a message and where it was written. */
export interface DateHit {
  date: string;
  start: number;
  end: number;
}

type Rule = [RegExp, (m: RegExpExecArray, today: CalendarDate) => string | undefined];

const ymd = (y: number, m: number | undefined, d: number | undefined): string | undefined =>
  m !== undefined && d !== undefined && isValidDate(y, m, d) ? formatDate(y, m, d) : undefined;
const monthEnd = (y: number, m: number | undefined): string | undefined =>
  m !== undefined && m >= 1 && m <= 12 ? formatDate(y, m, daysInMonth(y, m)) : undefined;
const yearOf = (text: string | undefined, today: CalendarDate): number => (text ? Number(text) : today.year);
const YEAR_SHIFT: Readonly<Record<string, number>> = { 明年: 1, 去年: -1, next: 1, last: -1 };
const MONTH_SHIFT: Readonly<Record<string, number>> = { 下: 1, 上: -1, next: 1, last: -1 };

const RULES: readonly Rule[] = [
  [/(?<!\d)((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})(?!\d)\s*[日号]?/g,
    (m) => ymd(Number(m[1]), Number(m[2]), Number(m[3]))],
  [new RegExp(`(?<!\\d)((?:19|20)\\d{2})\\s*年\\s*(${MONTH_NUMBER})\\s*月\\s*(?:底|末|最后一天)`, 'g'),
    (m) => monthEnd(Number(m[1]), parseNumber(m[2] ?? ''))],
  [new RegExp(`(?<![\\d年])(${MONTH_NUMBER})\\s*月\\s*(\\d{1,2}|${CN_NUMBER})\\s*[日号]`, 'g'),
    (m, t) => ymd(t.year, parseNumber(m[1] ?? ''), parseNumber(m[2] ?? ''))],
  [new RegExp(`(?<![\\d年])(${MONTH_NUMBER})\\s*月份?\\s*(?:的)?(?:底|末|最后一天)`, 'g'),
    (m, t) => monthEnd(t.year, parseNumber(m[1] ?? ''))],
  [new RegExp(`\\b(${MONTH_NAME})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?!\\d)(?:,?\\s*((?:19|20)\\d{2}))?`, 'g'),
    (m, t) => ymd(yearOf(m[3], t), monthOfName(m[1] ?? ''), Number(m[2]))],
  [new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTH_NAME})\\b(?:,?\\s*((?:19|20)\\d{2}))?`, 'g'),
    (m, t) => ymd(yearOf(m[3], t), monthOfName(m[2] ?? ''), Number(m[1]))],
  [new RegExp(`\\bend\\s+of\\s+(${MONTH_NAME})\\b(?:\\s*((?:19|20)\\d{2}))?|\\b(${MONTH_NAME})\\s+end\\b`, 'g'),
    (m, t) => monthEnd(yearOf(m[2], t), monthOfName(m[1] ?? m[3] ?? ''))],
  [/(?<!\d)((?:19|20)\d{2})\s*年?\s*(?:年底|年末|底)|\bend\s+of\s+((?:19|20)\d{2})\b/g,
    (m) => formatDate(Number(m[1] ?? m[2]), 12, 31)],
  [/(明年|去年)?\s*(?:的)?(?:年底|年末|年终(?!奖))|\bend\s+of\s+(?:the\s+|this\s+)?(?:(next|last)\s+)?year\b|\byear[\s-]*end\b(?!\s+bonus)|\beoy\b/g,
    (m, t) => formatDate(t.year + (YEAR_SHIFT[m[1] ?? m[2] ?? ''] ?? 0), 12, 31)],
  [/(?:(?<![一看查])(下|上)(?:一个|个)?|本|这一?个?|当)?月(?:底|末)|\bend\s+of\s+(?:the\s+|this\s+)?(?:(next|last)\s+)?month\b|\bmonth[\s-]*end\b|\beom\b/g,
    (m, t) => {
      const { year, month } = shiftMonth(t.year, t.month, MONTH_SHIFT[m[1] ?? m[2] ?? ''] ?? 0);
      return monthEnd(year, month);
    }],
  [new RegExp(`(?:截至|截止到?|到|至)\\s*(${MONTH_NUMBER})\\s*月份?(?!\\s*[\\d底末日号一二三四五六七八九十])`, 'g'),
    (m, t) => monthEnd(t.year, parseNumber(m[1] ?? ''))],
  [new RegExp(`\\b(?:by|until|till|through|as\\s+of)\\s+(?:the\\s+end\\s+of\\s+)?(${MONTH_NAME})\\b(?!\\s*\\d)`, 'g'),
    (m, t) => monthEnd(t.year, monthOfName(m[1] ?? ''))],
];

/**
 * Every date a message names, in order of appearance; where readings overlap
 * the one that starts first (then the longest) wins.
 *
 * @example findDates('截至6月底我还有多少年假', { year: 2025, month: 3, day: 15 })[0]?.date // → '2025-06-30'
 */
export function findDates(text: string, today: CalendarDate): DateHit[] {
  const hits: DateHit[] = [];
  for (const [pattern, resolve] of RULES) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const date = resolve(m, today);
      if (date) hits.push({ date, start: m.index, end: m.index + m[0].length });
    }
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: DateHit[] = [];
  for (const h of hits) if (!kept.some((k) => h.start < k.end)) kept.push(h);
  return kept;
}

/**
 * The date a balance is asked "as of".
 *
 * @example extractAsOf('到年底我的年假还剩几天', { year: 2025, month: 3, day: 15 }) // → '2025-12-31'
 */
export function extractAsOf(text: string, today: CalendarDate): string | undefined {
  return findDates(text, today)[0]?.date;
}

const EXPIRY = /失效|过期|到期|有效期|截止|expir|valid\s+(?:until|through|till)/g;

/**
 * The date a leave grant should expire on: the first date after an expiry
 * word, else the only date given.
 *
 * @example extractExpirationDate('改成 2 天，失效日期 2025-06-30', { year: 2025, month: 3, day: 15 }) // → '2025-06-30'
 */
export function extractExpirationDate(text: string, today: CalendarDate): string | undefined {
  const hits = findDates(text, today);
  EXPIRY.lastIndex = 0;
  const keyword = EXPIRY.exec(text);
  if (keyword) return (hits.find((h) => h.start >= keyword.index) ?? hits[0])?.date;
  return hits.length === 1 ? hits[0]?.date : undefined;
}
