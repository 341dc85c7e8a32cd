/**
 * Leave quantities for accrual edits: "3 天", "2.5 days", "1 day", "改为 5 天",
 * "to 3 days", "半天", "一天半", "qty 2.5", "-> 6"; normalised to a decimal string
 * ("2.5", "3"). The slot is the record's NEW quantity (the PATCH API's `quantity`), so a
 * minus sign written on the number is kept ("-2 days", "改成 -1" → "-2", "-1"), but a
 * relative change ("减少1.5天", "扣 2 天", "增加 1 天", "deduct 2 days", "reduce by 1.5",
 * "add 2 days") is not a new quantity: it fills nothing, and `hasRelativeChange` tells the
 * HR flow to ask for the new total. "减少到 2 天" / "reduce to 2" name the target: 2.
 */
import { parseNumber } from './numerals.js';

const WITH_UNIT = /(?:(?<![\w.])([-−])\s?)?(?<![\d.月])(\d{1,4}(?:\.\d+)?|[零〇一二两三四五六七八九十]{1,3})\s*(?:个\s*)?(?:天|日(?!期)|days?\b|d\b)(半)?/;
const HALF_DAY = /(?<![\d一二两三四五六七八九十])半天/;
// Without a unit, only a number right after a "set it to" word counts.
const AFTER_VERB = /(?:改为|改成|调整为|调为|调成|设为|设置为|更新为|数量为?|额度为?|[改=→]|quantity(?:\s+(?:of|to))?|\bqty(?:\s+to)?|\bto|->)\s*(?:[:：]\s*)?([-−])?(\d{1,4}(?:\.\d+)?)(?![\d.\-/年月])/;
// A word of change right before the number: an amount to take off or add ("扣 2 天", "add 2
// days"), not the record's new quantity. "减少到"/"reduce to" end in a target word and do not match.
const RELATIVE_BEFORE =
  /(?:减少|减去|减掉|扣除|扣掉|扣减|[减扣]|少算|少给|增加|加上|追加|多加|再加|添加|多给|多算|(?<![参更])加|\b(?:reduce|decrease|cut|lower|increase|raise|extend|top\s+(?:it\s+)?up)(?:\s+(?:it|the\s+(?:quantity|grant|record)))?\s+by|\bby|\b(?:deduct|minus|subtract|take\s+(?:off|away)|remove|add(?:\s+(?:another|an\s+extra))?|plus|another|extra))\s*(?:了\s*)?$/;
// The same words before a bare number ("reduce by 2", "增加 1.5"): a change without a unit.
const RELATIVE_AMOUNT =
  /(?:减少|减去|减掉|扣除|扣掉|扣减|[减扣]|少算|少给|增加|加上|追加|多加|再加|添加|多给|多算|(?<![参更])加|\b(?:reduce|decrease|cut|lower|increase|raise|extend|top\s+(?:it\s+)?up)(?:\s+(?:it|the\s+(?:quantity|grant|record)))?\s+by|\bby|\b(?:deduct|minus|subtract|take\s+(?:off|away)|remove|add(?:\s+(?:another|an\s+extra))?|plus|another|extra))\s*(?:了\s*)?(?:\d{1,4}(?:\.\d+)?|[一二两三四五六七八九十]{1,3})(?![\d年月/-])/;
/** How far back a word of change is looked for: a bounded window keeps this linear. */
const RELATIVE_WINDOW = 32;

const decimal = (n: number): string => String(Number(n.toFixed(4)));

/**
 * The number of days a grant should hold.
 *
 * @example extractQuantity('把发放记录 7111688079785723436 改成 2.5 天') // → '2.5'
 * @example extractQuantity('set it to 7.50 days') // → '7.5'
 */
export function extractQuantity(text: string): string | undefined {
  return readQuantity(text).quantity;
}

/**
 * True when the text gives a relative change of the quantity ("减少1.5天", "deduct 2 days")
 * and no new quantity: the HR flow then asks for the new total instead of guessing it.
 *
 * @example hasRelativeChange('发放记录 7111688079785723436 减少1.5天') // → true
 * @example hasRelativeChange('减少到 2 天') // → false
 */
export function hasRelativeChange(text: string): boolean {
  const read = readQuantity(text);
  return read.quantity === undefined && read.relative;
}

/** True when the text gives a new quantity or a relative change of it: either way it asks for an edit. */
export function mentionsQuantity(text: string): boolean {
  const read = readQuantity(text);
  return read.quantity !== undefined || read.relative;
}

interface QuantityReading {
  quantity?: string;
  /** A number stood after a word of change ("扣 2 天"): an amount, not the new quantity. */
  relative: boolean;
}

/**
 * The first number of days that is a new quantity. A number after a word of change is
 * skipped; a "set it to" number after it still counts ("扣 1 天，改成 2 天" → 2).
 */
function readQuantity(text: string): QuantityReading {
  let relative = false;
  const unit = WITH_UNIT.exec(text);
  if (unit) {
    const n = parseNumber(unit[2] ?? '');
    if (n !== undefined) {
      if (unit[1] === undefined && changeBefore(text, unit.index)) relative = true;
      else return { quantity: signed(unit[3] ? n + 0.5 : n, unit[1] !== undefined), relative };
    }
  }
  const half = HALF_DAY.exec(text);
  if (half && !relative) {
    if (changeBefore(text, half.index)) relative = true;
    else return { quantity: '0.5', relative };
  }
  const bare = AFTER_VERB.exec(text);
  if (!bare) return { relative: relative || RELATIVE_AMOUNT.test(text) };
  const at = bare.index + bare[0].length - (bare[2] ?? '').length - (bare[1] ?? '').length;
  if (bare[1] === undefined && changeBefore(text, at)) return { relative: true };
  return { quantity: signed(Number(bare[2]), bare[1] !== undefined), relative };
}

/** True when a word of change stands right before `at`. */
function changeBefore(text: string, at: number): boolean {
  return RELATIVE_BEFORE.test(text.slice(Math.max(0, at - RELATIVE_WINDOW), at));
}

const signed = (n: number, negative: boolean): string => decimal(negative && n !== 0 ? -n : n);
