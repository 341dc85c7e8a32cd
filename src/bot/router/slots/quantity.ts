/**
 * Leave quantities for accrual edits: "3 天", "2.5 days", "1 day", "改为 5 天",
 * "to 3 days", "半天", "一天半", "qty 2.5", "-> 6"; normalised to a decimal string
 * ("2.5", "3"). A minus sign or a deduction word right before the number ("-2 days",
 * "减少1.5天", "扣 2 天", "deduct 2 days") makes it negative ("-2"); "减少到 2 天"
 * ("reduce to") is the new value, not a deduction.
 */
import { parseNumber } from './numerals.js';

const WITH_UNIT = /(?:(?<![\w.])([-−])\s?)?(?<![\d.月])(\d{1,4}(?:\.\d+)?|[零〇一二两三四五六七八九十]{1,3})\s*(?:个\s*)?(?:天|日(?!期)|days?\b|d\b)(半)?/;
const HALF_DAY = /(?<![\d一二两三四五六七八九十])半天/;
// Without a unit, only a number right after a "set it to" word counts.
const AFTER_VERB = /(?:改为|改成|调整为|调为|调成|设为|设置为|更新为|数量为?|额度为?|[改=→]|quantity(?:\s+(?:of|to))?|\bqty(?:\s+to)?|\bto|->)\s*(?:[:：]\s*)?([-−])?(\d{1,4}(?:\.\d+)?)(?![\d.\-/年月])/;
// A deduction word right before the number: the quantity is taken off ("扣 2 天" → -2).
const DEDUCT_BEFORE = /(?:减少|减去|减掉|扣除|扣掉|扣减|扣|少算|reduce(?:\s+it)?\s+by|deduct|minus|subtract|take\s+(?:off|away)|cut(?:\s+it)?\s+by)\s*(?:了\s*)?$/;
/** How far back a deduction word is looked for: a bounded window keeps this linear. */
const DEDUCT_WINDOW = 24;

const decimal = (n: number): string => String(Number(n.toFixed(4)));

/**
 * The number of days a grant should hold.
 *
 * @example extractQuantity('把发放记录 7111688079785723436 改成 2.5 天') // → '2.5'
 * @example extractQuantity('set it to 7.50 days') // → '7.5'
 */
export function extractQuantity(text: string): string | undefined {
  const unit = WITH_UNIT.exec(text);
  if (unit) {
    const n = parseNumber(unit[2] ?? '');
    if (n !== undefined) return signed(unit[3] ? n + 0.5 : n, unit[1] !== undefined || deducted(text, unit.index));
  }
  const half = HALF_DAY.exec(text);
  if (half) return signed(0.5, deducted(text, half.index));
  const bare = AFTER_VERB.exec(text);
  return bare ? signed(Number(bare[2]), bare[1] !== undefined || deducted(text, bare.index + bare[0].length - (bare[2] ?? '').length)) : undefined;
}

/** True when a deduction word stands right before `at`. */
function deducted(text: string, at: number): boolean {
  return DEDUCT_BEFORE.test(text.slice(Math.max(0, at - DEDUCT_WINDOW), at));
}

const signed = (n: number, negative: boolean): string => decimal(negative && n !== 0 ? -n : n);
