/**
 * Dates for `asOf` and `expirationDate`: "2025-12-31", "2025年12月31日",
 * "4月30号", "april 30", "6月底", "end of June", "年底", "end of the year".
 * A day or month-end without a year falls in the current year (the contract's
 * rule for `asOf`: "6月底" asked in March is this June).
 */
import { addDays, addMonths, daysInMonth, formatDate, isoWeekday, isValidDate, shiftMonth, type CalendarDate } from '../calendar.js';
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
const MONTH_SHIFT: Readonly<Record<string, number>> = { 下下: 2, 上上: -2, 下: 1, 上: -1, next: 1, last: -1 };
const ZH_DIGIT: Readonly<Record<string, string>> = { 〇: '0', 零: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };
/** "二〇二六" → 2026: a year written digit by digit in Chinese numerals. */
const zhYear = (text: string | undefined): number => Number([...(text ?? '')].map((c) => ZH_DIGIT[c] ?? c).join(''));
const format = (d: CalendarDate): string => formatDate(d.year, d.month, d.day);
const yearWord = (word: string | undefined, digits: string | undefined, today: CalendarDate): number =>
  digits ? Number(digits) : today.year + (YEAR_SHIFT[word ?? ''] ?? 0);

// Quarters and half years: "二季度末", "Q3 end", "end of the second quarter", "上半年结束".
const QUARTER: Readonly<Record<string, number>> = {
  一: 1, 二: 2, 三: 3, 四: 4, 1: 1, 2: 2, 3: 3, 4: 4, first: 1, second: 2, third: 3, fourth: 4, '1st': 1, '2nd': 2, '3rd': 3, '4th': 4,
};
const quarterEnd = (year: number, q: number | undefined): string | undefined => (q ? monthEnd(year, q * 3) : undefined);
/** The last day of the quarter `delta` quarters from today's. */
const relativeQuarterEnd = (t: CalendarDate, delta: number): string | undefined => {
  const { year, month } = shiftMonth(t.year, Math.ceil(t.month / 3) * 3, delta * 3);
  return monthEnd(year, month);
};

// "三个月后", "3 months from now", "in two weeks": a span counted from today.
const WORD_COUNT: Readonly<Record<string, number>> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
};
const countOf = (text: string | undefined): number | undefined => {
  const word = (text ?? '').replace(/\s+/g, ' ');
  return WORD_COUNT[word] ?? (word === '半' ? 0.5 : parseNumber(word));
};
/** Today moved by `n` units; half a month is 15 days, half a year six months. */
const after = (t: CalendarDate, n: number | undefined, unitText: string): string | undefined => {
  if (n === undefined || n <= 0 || n > 120) return undefined;
  const unit = unitText.replace(/^个\s*/, '');
  const whole = Number.isInteger(n);
  if (unit === '年' || unit.startsWith('year')) return whole ? format(addMonths(t, n * 12)) : n === 0.5 ? format(addMonths(t, 6)) : undefined;
  if (unit === '月' || unit.startsWith('month')) return whole ? format(addMonths(t, n)) : n === 0.5 ? format(addDays(t, 15)) : undefined;
  if (!whole) return undefined;
  return format(addDays(t, unit === '天' || unit.startsWith('day') ? n : n * 7));
};

// Weekdays: "下周五", "这个星期三", "next Friday", "by Thursday".
const WEEKDAY: Readonly<Record<string, number>> = {
  一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7,
  monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7, tues: 2, wed: 3, thurs: 4, fri: 5,
};
const WEEK_SHIFT: Readonly<Record<string, number>> = { 下下: 2, 下: 1, 上: -1, 这: 0, 本: 0, next: 1 };
/** The weekday in the week `weeks` from this one (weeks run Monday to Sunday). */
const dayInWeek = (t: CalendarDate, day: number | undefined, weeks: number): string | undefined =>
  day ? format(addDays(t, weeks * 7 + day - isoWeekday(t))) : undefined;
/** The next such weekday, today included. */
const comingDay = (t: CalendarDate, day: number | undefined): string | undefined =>
  day ? format(addDays(t, (day - isoWeekday(t) + 7) % 7)) : undefined;
const WEEKDAY_EN = '(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues|wed|thurs|fri)';

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
  [/\b(?:before|when|by\s+the\s+time|until|till)\s+(?:the\s+|this\s+)?year\s+(?:ends|is\s+(?:over|out|up|done)|runs\s+out|finishes|closes|wraps\s+up)\b|\bnew\s+year(?:['’]?s)?\s+eve\b|(?:今年|本年)(?:结束|过完|之内|内)|年内|元旦(?:之|以)?前|跨年(?:之|以)?前/g,
    (_m, t) => formatDate(t.year, 12, 31)],
  [/(?:(?<![一看查])(下下|上上|[下上])(?:一个|个)?|本|这一?个?|当)?月[底末]|\bend\s+of\s+(?:the\s+|this\s+)?(?:(next|last)\s+)?month\b|\bmonth[\s-]*end\b|\beom\b/g,
    (m, t) => {
      const { year, month } = shiftMonth(t.year, t.month, MONTH_SHIFT[m[1] ?? m[2] ?? ''] ?? 0);
      return monthEnd(year, month);
    }],
  [/(?:截至|截止到?|到|至)\s*(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月份?(?!\s*[\d底末日号一二三四五六七八九十])/g,
    (m, t) => monthEnd(t.year, parseNumber(m[1] ?? ''))],
  [/\b(?:by|until|till|through|as\s+of)\s+(?:the\s+end\s+of\s+)?(january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\b(?!\s+\d)/g,
    (m, t) => monthEnd(t.year, monthOfName(m[1] ?? ''))],
  // "二〇二六年三月底", "二〇二五年十二月三十一日", "二〇二六年底": a year in Chinese digits.
  [/(?<![〇零一二三四五六七八九])([一二][〇零一二三四五六七八九]{3})\s*年\s*(?:(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月\s*(?:(底|末|最后一天)|(\d{1,2}|[零〇一二两三四五六七八九十]{1,3})\s*[日号])|年?底|年?末)/g,
    (m) => {
      const year = zhYear(m[1]);
      if (m[2] === undefined) return formatDate(year, 12, 31);
      return m[3] ? monthEnd(year, parseNumber(m[2])) : ymd(year, parseNumber(m[2]), parseNumber(m[4] ?? ''));
    }],
  // "二季度末", "第三季度结束", "明年一季度末", "2026年第四季度底".
  [/(?:(?<!\d)((?:19|20)\d{2})\s*年|(今年|本年|明年|去年))?的?(?:第\s*)?(?<!\d)([一二三四1-4])\s*季度?\s*(?:末|底|结束|最后一天)/g,
    (m, t) => quarterEnd(yearWord(m[2], m[1], t), QUARTER[m[3] ?? ''])],
  // "Q2 end", "Q3末", "Q4结束时", "2026 Q1 end".
  [/(?:(?<!\d)((?:19|20)\d{2})\s*(?:年\s*)?)?(?<![a-z])q([1-4])(?:\s+((?:19|20)\d{2}))?\s*(?:季度?\s*)?(?:末|底|结束|最后一天|ends?\b)/g,
    (m, t) => quarterEnd(yearWord(undefined, m[1] ?? m[3], t), QUARTER[m[2] ?? ''])],
  // "end of Q3", "end of the second quarter", "second quarter end".
  [/\bend\s+of\s+(?:the\s+)?(?:q([1-4])|(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)\b(?:\s+(?:of\s+)?((?:19|20)\d{2}))?|\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter[\s-]*end\b/g,
    (m, t) => quarterEnd(yearWord(undefined, m[3], t), QUARTER[m[1] ?? m[2] ?? m[4] ?? ''])],
  // "季末", "本季度末", "下个季度结束", "end of this quarter", "next quarter end".
  [/(?:(下|上)(?:一个|个)?|本|这一?个?|当)?季度?(?:末|底|结束)|\bend\s+of\s+(?:the\s+|this\s+)?(?:(next|last)\s+)?quarter\b|\b(?:(?:this|the|(next|last))\s+)?quarter[\s-]*end\b|\beoq\b/g,
    (m, t) => relativeQuarterEnd(t, MONTH_SHIFT[m[1] ?? m[2] ?? m[3] ?? ''] ?? 0)],
  // "上半年结束", "明年上半年末", "H1 end", "end of the first half".
  [/(今年|本年|明年|去年)?的?([上下])半年\s*(?:末|底|结束)|\bend\s+of\s+(?:the\s+)?(?:h([12])|(first|second)\s+half)\b|\bh([12])\s*(?:end\b|末|结束)/g,
    (m, t) => monthEnd(yearWord(m[1], undefined, t), m[2] === '上' || m[3] === '1' || m[4] === 'first' || m[5] === '1' ? 6 : 12)],
  // "三个月后", "两周之后", "10天以后", "半年后" (a bare "3月后" is after March, not three months).
  [/(?<![\d.])(\d{1,3}|[一二两三四五六七八九十]{1,3}|半)\s*(个\s*月|个\s*星期|个\s*礼拜|[周天年]|星期|礼拜)\s*(?:之|以)?后/g,
    (m, t) => after(t, countOf(m[1]), m[2] ?? '')],
  // "3 months from now", "two weeks later", "in a month", "in 10 days".
  [/\b(\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(months?|weeks?|days?|years?)\s+(?:from\s+(?:now|today)|later|out|ahead|down\s+the\s+(?:road|line))\b|\bin\s+(\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(months?|weeks?|days?)(?:['’]\s*time)?\b/g,
    (m, t) => after(t, countOf(m[1] ?? m[3]), m[2] ?? m[4] ?? '')],
  // "下周五", "下下个星期一", "这周三", "上礼拜天"; a bare "周五" is the coming one ("每周五" is a schedule).
  [/(?:(?<![一看查])(下下|下|上)|(这|本))(?:一?个)?(?:周|星期|礼拜)([一二三四五六日天1-7])|(?<![一二两三四五六七八九十\d每上下这本个])(?:周|星期|礼拜)([一二三四五六日天1-7])(?![\d十])/g,
    (m, t) => (m[4] ? comingDay(t, WEEKDAY[m[4]]) : dayInWeek(t, WEEKDAY[m[3] ?? ''], WEEK_SHIFT[m[1] ?? m[2] ?? ''] ?? 0))],
  // "next Friday", "Friday next week" (the Friday of next week); "this Friday", "by Thursday" (the coming one).
  [new RegExp(`\\bnext\\s+week(?:['’]?s)?\\s+${WEEKDAY_EN}\\b|\\b${WEEKDAY_EN}\\s+next\\s+week\\b|\\bnext\\s+${WEEKDAY_EN}\\b`, 'g'),
    (m, t) => dayInWeek(t, WEEKDAY[m[1] ?? m[2] ?? m[3] ?? ''], 1)],
  [new RegExp(`\\b(?:this|coming|on|by|until|till|before)\\s+${WEEKDAY_EN}\\b`, 'g'),
    (m, t) => comingDay(t, WEEKDAY[m[1] ?? ''])],
  // "June底", "到Sept末" (mixed).
  [/\b(january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\s*(?:月\s*)?(?:底|末)/g,
    (m, t) => monthEnd(t.year, monthOfName(m[1] ?? ''))],
  // "end of the month after next".
  [/\bend\s+of\s+the\s+month\s+after\s+next\b/g,
    (_m, t) => {
      const { year, month } = shiftMonth(t.year, t.month, 2);
      return monthEnd(year, month);
    }],
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
