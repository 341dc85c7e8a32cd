/**
 * Leave quantities for accrual edits: "3 天", "2.5 days", "1 day", "改为 5 天",
 * "to 3 days", "半天", "一天半"; normalised to a decimal string ("2.5", "3").
 */
import { parseNumber } from './numerals.js';

const WITH_UNIT = /(?<![\d.月])(\d{1,4}(?:\.\d+)?|[零〇一二两三四五六七八九十]{1,3})\s*(?:个\s*)?(?:天|日(?!期)|days?\b|d\b)(半)?/;
const HALF_DAY = /(?<![\d一二两三四五六七八九十])半天/;
// Without a unit, only a number right after a "set it to" word counts.
const AFTER_VERB = /(?:改为|改成|调整为|调为|设为|设置为|更新为|数量为?|额度为?|quantity(?:\s+(?:of|to))?|\bto|=)\s*(?:[:：]\s*)?(\d{1,4}(?:\.\d+)?)(?![\d.\-/年月])/;

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
    const n = parseNumber(unit[1] ?? '');
    if (n !== undefined) return decimal(unit[2] ? n + 0.5 : n);
  }
  if (HALF_DAY.test(text)) return '0.5';
  const bare = AFTER_VERB.exec(text);
  return bare ? decimal(Number(bare[1])) : undefined;
}
