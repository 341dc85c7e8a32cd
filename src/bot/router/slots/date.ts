/**
 * Dates for `asOf` and `expirationDate`: "2025-12-31", "2025年12月31日",
 * "4月30号", "april 30", "6月底", "end of June", "年底", "end of the year".
 * A day or month-end without a year falls in the current year (the contract's
 * rule for `asOf`: "6月底" asked in March is this June).
 */
import { daysInMonth, formatDate, isValidDate, shiftMonth, type CalendarDate } from '../calendar.js';
import { monthOfName, parseNumber } from './numerals.js';

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
const YEAR_SHIFT: Readonly<Record<string, number>> = { 明年: 1, 去年: -1, 今年: 0, 本年: 0, next: 1, last: -1 };
const MONTH_SHIFT: Readonly<Record<string, number>> = { 下: 1, 上: -1, next: 1, last: -1 };

// Literal patterns (the linter checks each for super-linear backtracking); MONTH is 1-12 or 一-十二.
const RULES: readonly Rule[] = [
  [/(?<!\d)((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})(?!\d)(?:\s*[日号])?/g,
    (m) => ymd(Number(m[1]), Number(m[2]), Number(m[3]))],
  [/(?<!\d)((?:19|20)\d{2})\s*年\s*(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月\s*(?:底|末|最后一天)/g,
    (m) => monthEnd(Number(m[1]), parseNumber(m[2] ?? ''))],
  // "今年6月底", "明年的三月末": a year word before a month end.
  [/(今年|本年|明年|去年)\s*(?:的\s*)?(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月份?\s*(?:的\s*)?(?:底|末|最后一天)/g,
    (m, t) => monthEnd(t.year + (YEAR_SHIFT[m[1] ?? ''] ?? 0), parseNumber(m[2] ?? ''))],
  [/(今年|本年|明年|去年)\s*(?:的\s*)?(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月\s*(\d{1,2}|[零〇一二两三四五六七八九十]{1,3})\s*[日号]/g,
    (m, t) => ymd(t.year + (YEAR_SHIFT[m[1] ?? ''] ?? 0), parseNumber(m[2] ?? ''), parseNumber(m[3] ?? ''))],
  [/(?<![\d年])(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月\s*(\d{1,2}|[零〇一二两三四五六七八九十]{1,3})\s*[日号]/g,
    (m, t) => ymd(t.year, parseNumber(m[1] ?? ''), parseNumber(m[2] ?? ''))],
  [/(?<![\d年])(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月份?\s*的?(?:底|末|最后一天)/g,
    (m, t) => monthEnd(t.year, parseNumber(m[1] ?? ''))],
  [/\b(january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?!\d)(?:,?\s*((?:19|20)\d{2}))?/g,
    (m, t) => ymd(yearOf(m[3], t), monthOfName(m[1] ?? ''), Number(m[2]))],
  [/\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\b(?:,?\s*((?:19|20)\d{2}))?/g,
    (m, t) => ymd(yearOf(m[3], t), monthOfName(m[2] ?? ''), Number(m[1]))],
  [/\bend\s+of\s+(january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\b(?:\s+((?:19|20)\d{2}))?|\b(january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\s+end\b/g,
    (m, t) => monthEnd(yearOf(m[2], t), monthOfName(m[1] ?? m[3] ?? ''))],
  [/(?<!\d)((?:19|20)\d{2})\s*(?:年\s*)?(?:年底|年末|底)|\bend\s+of\s+((?:19|20)\d{2})\b/g,
    (m) => formatDate(Number(m[1] ?? m[2]), 12, 31)],
  // "明年底", "去年的底": a year word right before 底 (a month before 底 is a month end, above).
  [/(明年|去年|今年)\s*(?:的\s*)?底/g,
    (m, t) => formatDate(t.year + (YEAR_SHIFT[m[1] ?? ''] ?? 0), 12, 31)],
  // "end of February next year": a month end in the year named after it.
  [/\bend\s+of\s+(january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\s+(next|this)\s+year\b/g,
    (m, t) => monthEnd(t.year + (YEAR_SHIFT[m[2] ?? ''] ?? 0), monthOfName(m[1] ?? ''))],
  [/(?:(明年|去年)\s*(?:的\s*)?)?(?:年底|年末|年终(?!奖))|\bend\s+of\s+(?:the\s+|this\s+)?(?:(next|last)\s+)?year\b|\byear(?:['’]?s)?[\s-]*end\b(?!\s+bonus)|\beoy\b/g,
    (m, t) => formatDate(t.year + (YEAR_SHIFT[m[1] ?? m[2] ?? ''] ?? 0), 12, 31)],
  // "before the year ends", "今年结束前": the last day of this year.
  [/\bbefore\s+(?:the\s+|this\s+)?year\s+(?:ends|is\s+(?:over|out|up)|runs\s+out|finishes|closes)\b|(?:今年|本年)(?:结束|过完|之内|内)|年内/g,
    (_m, t) => formatDate(t.year, 12, 31)],
  [/(?:(?<![一看查])([下上])(?:一个|个)?|本|这一?个?|当)?月[底末]|\bend\s+of\s+(?:the\s+|this\s+)?(?:(next|last)\s+)?month\b|\bmonth[\s-]*end\b|\beom\b/g,
    (m, t) => {
      const { year, month } = shiftMonth(t.year, t.month, MONTH_SHIFT[m[1] ?? m[2] ?? ''] ?? 0);
      return monthEnd(year, month);
    }],
  [/(?:截至|截止到?|到|至)\s*(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月份?(?!\s*[\d底末日号一二三四五六七八九十])/g,
    (m, t) => monthEnd(t.year, parseNumber(m[1] ?? ''))],
  [/\b(?:by|until|till|through|as\s+of)\s+(?:the\s+end\s+of\s+)?(january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\b(?!\s+\d)/g,
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
  let keptEnd = 0;
  for (const h of hits) {
    if (h.start < keptEnd) continue;
    kept.push(h);
    keptEnd = h.end;
  }
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
