/**
 * Months for payslips: "Jan", "一月", "十月份", "2025-01", "24年12月", "Nov 2024",
 * "去年12月", "last month", "本月". A month without a year is the most recent
 * such month not after the current one.
 */
import { formatMonth, shiftMonth, type CalendarDate } from '../calendar.js';
import { monthOfName, parseNumber } from './numerals.js';
import { explicitYear, relativeYear } from './year.js';

const RELATIVE: ReadonlyArray<[RegExp, number]> = [
  [/上上个?月|两个月前|2个月前|two months ago|month before last/, -2],
  [/上(?:一个|个)?月|前一个月|last month|previous month|prior month|\b(?:last|prev|previous)\s+mth\b|上个?mth|\blm\b/, -1],
  [/这一?个?月|本月|当月|this month|current month/, 0],
  // "查一下一月" is "check January", not "next month".
  [/(?<![一看查])下(?:一个|个)?月|next month/, 1],
];

// "去年最后一个月", "the last month of last year", "今年第一个月": a year's first or last month.
const YEAR_EDGE_ZH = /(前年|去年|上一年|今年|本年)\s*(?:的\s*)?(?:(最后一个?月|年底那?个?月|年末那?个?月)|第一个?月|头一个月|首月)/;
const YEAR_EDGE_EN = /\b(?:(last|final)|first)\s+month\s+of\s+(?:the\s+)?(last|this|previous|current)\s+years?\b|\b(last|this)\s+year(?:['’]?s)?\s+(?:(last|final)|first)\s+month\b/;
const YEAR_WORD_SHIFT: Readonly<Record<string, number>> = { 前年: -2, 去年: -1, 上一年: -1, last: -1, previous: -1 };

// "2024年最后一个月", "the final month of 2024": the last month of a year given in digits.
const YEAR_LAST_MONTH = /(?<!\d)((?:19|20)\d{2})\s*年\s*(?:的\s*)?最后一个?月|\b(?:last|final)\s+month\s+of\s+((?:19|20)\d{2})\b/;

// "上个季度最后一个月", "去年Q4最后一个月", "the last month of last quarter", "last month of Q4 2024":
// the last month of a quarter. A quarter without a year is the latest one that has ended.
const QUARTER_NUMBER: Readonly<Record<string, number>> = { 一: 1, 二: 2, 三: 3, 四: 4, 1: 1, 2: 2, 3: 3, 4: 4 };
const QUARTER_LAST_ZH =
  /(?:(前年|去年|今年|本年)|((?:19|20)\d{2})\s*年)?的?(?:(上个?|上一个?)季度|(?:第\s*)?([一二三四1-4])\s*季度|(?<![a-z])q([1-4]))的?最后一个?月/;
const QUARTER_LAST_EN = /\b(?:last|final)\s+month\s+of\s+(?:the\s+)?(?:(last|previous|prior)\s+quarter|q([1-4])(?:\s+((?:19|20)\d{2}))?)\b/;

function quarterLastMonth(text: string, today: CalendarDate): string | undefined {
  const currentQuarter = Math.ceil(today.month / 3);
  const resolve = (q: number, year: number | undefined): string => {
    // Without a year: the latest such quarter that has ended (Q4 asked in March is last year's).
    const y = year ?? (q < currentQuarter ? today.year : today.year - 1);
    return formatMonth(y, q * 3);
  };
  // The month before this quarter's first: the last month of the quarter before.
  const previous = (): string => {
    const { year, month } = shiftMonth(today.year, (currentQuarter - 1) * 3 + 1, -1);
    return formatMonth(year, month);
  };
  const zh = QUARTER_LAST_ZH.exec(text);
  if (zh) {
    if (zh[3] !== undefined) return previous();
    const q = QUARTER_NUMBER[zh[4] ?? zh[5] ?? ''];
    if (!q) return undefined;
    const year = zh[2] ? Number(zh[2]) : zh[1] ? today.year + (YEAR_WORD_SHIFT[zh[1]] ?? 0) : undefined;
    return resolve(q, year);
  }
  const en = QUARTER_LAST_EN.exec(text);
  if (!en) return undefined;
  if (en[1] !== undefined) return previous();
  const q = QUARTER_NUMBER[en[2] ?? ''];
  return q ? resolve(q, en[3] ? Number(en[3]) : undefined) : undefined;
}

/** The first or last month of a year named relative to today, if the text asks for one. */
function yearEdgeMonth(text: string, today: CalendarDate): string | undefined {
  const absolute = YEAR_LAST_MONTH.exec(text);
  if (absolute) return formatMonth(Number(absolute[1] ?? absolute[2]), 12);
  const zh = YEAR_EDGE_ZH.exec(text);
  if (zh) return formatMonth(today.year + (YEAR_WORD_SHIFT[zh[1] ?? ''] ?? 0), zh[2] ? 12 : 1);
  const en = YEAR_EDGE_EN.exec(text);
  if (!en) return undefined;
  const yearWord = en[2] ?? en[3] ?? '';
  const last = en[1] !== undefined || en[4] !== undefined;
  return formatMonth(today.year + (YEAR_WORD_SHIFT[yearWord] ?? 0), last ? 12 : 1);
}

const MONTHS_AGO = /(\d{1,2}|[零〇一二两三四五六七八九十]{1,3}|one|two|three|four|five|six)\s*(?:个月之?前|months?\s+(?:ago|back))/;
const WORD_NUMBER: Readonly<Record<string, number>> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 };
const YEAR_MONTH = /(?<!\d)((?:19|20)\d{2})\s*[-./]\s*(1[0-2]|0?[1-9])(?!\d)/;
// "10/2024", "03-2025": month first.
const MONTH_YEAR = /(?<![\d./-])(1[0-2]|0?[1-9])\s*[-/]\s*((?:19|20)\d{2})(?!\d)/;
const YEAR_MONTH_ZH = /(?<!\d)(\d{2}|\d{4})\s*年\s*(?:的\s*)?(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月/;
const MONTH_ZH = /(?<![\d.])(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月/;
const MONTH_EN = /\b(january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\b\.?/g;
// "may" is usually the verb; take it as the month only where a month fits.
const MAY_BEFORE = /(?:^|\b(?:in|for|of|from|since|until|during|last|this|payslip|salary|pay|slip|stub|the)\s+)$/;
const MAY_AFTER = /^\s*(?:$|[?.!,的月]|(?:19|20)\d{2}|'?\d{2}\b|payslip|salary|pay\b|工资)/;
const MAY_VERB = /^\s+(?:i|we|you|he|she|it|they|be|have|need|want|get|see|know|ask|not)\b/;

function englishMonth(text: string): number | undefined {
  for (const m of text.matchAll(MONTH_EN)) {
    const name = m[1] ?? '';
    if (name === 'may') {
      // Only the words right around it matter; short windows keep this linear in the text.
      const before = text.slice(Math.max(0, m.index - 24), m.index);
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 24);
      if (MAY_VERB.test(after) || (!MAY_BEFORE.test(before) && !MAY_AFTER.test(after))) continue;
    }
    return monthOfName(name);
  }
  return undefined;
}

/**
 * The month a message asks about, as `YYYY-MM`.
 *
 * @example extractMonth('十二月的工资条', { year: 2025, month: 3, day: 15 }) // → '2024-12'
 * @example extractMonth('last month', { year: 2025, month: 1, day: 10 }) // → '2024-12'
 */
export function extractMonth(text: string, today: CalendarDate): string | undefined {
  const quarter = quarterLastMonth(text, today);
  if (quarter) return quarter;
  const edge = yearEdgeMonth(text, today);
  if (edge) return edge;
  for (const [pattern, delta] of RELATIVE) {
    if (pattern.test(text)) {
      const m = shiftMonth(today.year, today.month, delta);
      return formatMonth(m.year, m.month);
    }
  }
  const ago = MONTHS_AGO.exec(text);
  const agoCount = ago ? (WORD_NUMBER[ago[1] ?? ''] ?? parseNumber(ago[1] ?? '')) : undefined;
  if (agoCount !== undefined) {
    const m = shiftMonth(today.year, today.month, -agoCount);
    return formatMonth(m.year, m.month);
  }
  const ym = YEAR_MONTH.exec(text);
  if (ym) return formatMonth(Number(ym[1]), Number(ym[2]));
  const my = MONTH_YEAR.exec(text);
  if (my) return formatMonth(Number(my[2]), Number(my[1]));
  const ymZh = YEAR_MONTH_ZH.exec(text);
  if (ymZh) {
    const y = Number(ymZh[1]);
    const month = parseNumber(ymZh[2] ?? '');
    if (month) return formatMonth(y < 100 ? 2000 + y : y, month);
  }
  const zh = MONTH_ZH.exec(text);
  const month = zh ? parseNumber(zh[1] ?? '') : englishMonth(text);
  if (!month) return undefined;
  const year = explicitYear(text) ?? relativeYear(text, today);
  if (year !== undefined) return formatMonth(year, month);
  return formatMonth(month <= today.month ? today.year : today.year - 1, month);
}
