/**
 * Number words shared by the slot extractors: Chinese numerals and English
 * month names.
 */

const DIGITS: Readonly<Record<string, number>> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };


/**
 * Reads a small Chinese or Arabic number.
 *
 * @example parseNumber('十二') // → 12
 * @example parseNumber('二十五') // → 25
 */
export function parseNumber(text: string): number | undefined {
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
  if (!/^[零〇一二两三四五六七八九十]+$/.test(text)) return undefined;
  const ten = text.indexOf('十');
  if (ten < 0) return text.length === 1 ? DIGITS[text] : undefined;
  const tens = ten === 0 ? 1 : DIGITS[text.slice(0, ten)];
  const units = ten === text.length - 1 ? 0 : DIGITS[text.slice(ten + 1)];
  return tens === undefined || units === undefined ? undefined : tens * 10 + units;
}

const MONTHS: ReadonlyArray<[string, number]> = [
  ['january', 1], ['february', 2], ['march', 3], ['april', 4], ['may', 5], ['june', 6], ['july', 7],
  ['august', 8], ['september', 9], ['october', 10], ['november', 11], ['december', 12],
  ['sept', 9], ['jan', 1], ['feb', 2], ['mar', 3], ['apr', 4], ['jun', 6], ['jul', 7], ['aug', 8],
  ['sep', 9], ['oct', 10], ['nov', 11], ['dec', 12],
];
const MONTH_BY_NAME = new Map(MONTHS);


/** @example monthOfName('Sept') // → 9 */
export function monthOfName(name: string): number | undefined {
  return MONTH_BY_NAME.get(name.toLowerCase().replace(/\.$/, ''));
}
