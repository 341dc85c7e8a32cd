/**
 * Years: "2024", "2024年", "24年", "FY24", "去年", "last year", "last yr", "今年", "this year".
 */
import type { CalendarDate } from '../calendar.js';

const RELATIVE: ReadonlyArray<[RegExp, number]> = [
  [/前年|year before last/, -2],
  [/去年|上一年|上年度|last year|previous year|prior year|\b(?:last|prev|previous|prior)\s+yr\b/, -1],
  [/今年|本年|this year|current year|\b(?:this|current)\s+yr\b/, 0],
  [/明年|下一年|next year|\bnext\s+yr\b/, 1],
];

/**
 * A year written with digits (four, or two before 年 or after FY).
 *
 * @example explicitYear('2024年11月工资单') // → 2024
 */
export function explicitYear(text: string): number | undefined {
  const four = /(?<!\d)((?:19|20)\d{2})(?!\d)/.exec(text);
  if (four) return Number(four[1]);
  const two = /(?<![\d.])(\d{2})\s*年(?![终底末初中假休])|\bfy\s*'?(\d{2})\b|(?<![\w'])'(\d{2})\b/.exec(text);
  if (two) return 2000 + Number(two[1] ?? two[2] ?? two[3]);
  return undefined;
}

/**
 * A year said relative to today ("去年", "this year").
 *
 * @example relativeYear('去年的年终奖', { year: 2025, month: 3, day: 15 }) // → 2024
 */
export function relativeYear(text: string, today: CalendarDate): number | undefined {
  for (const [pattern, delta] of RELATIVE) if (pattern.test(text)) return today.year + delta;
  return undefined;
}

/**
 * The year a message asks about, digits first, then relative words.
 *
 * @example extractYear('how much was my bonus last year?', { year: 2025, month: 3, day: 15 }) // → 2024
 */
export function extractYear(text: string, today: CalendarDate): number | undefined {
  return explicitYear(text) ?? relativeYear(text, today);
}
