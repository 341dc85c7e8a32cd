import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../../src/bot/router/normalize.js';
import { extractQuantity } from '../../../../src/bot/router/slots/quantity.js';

const qty = (text: string): string | undefined => extractQuantity(normalizeText(text));

describe('extractQuantity', () => {
  it.each([
    ['3 天', '3'], ['2.5 days', '2.5'], ['1 day', '1'], ['改为 5 天', '5'], ['to 3 days', '3'], ['3.0 days', '3'],
    ['7.50 days', '7.5'], ['半天', '0.5'], ['一天半', '1.5'], ['两天', '2'], ['十天', '10'], ['０.５天', '0.5'],
    ['数量改为 4', '4'], ['set the quantity to 6', '6'],
  ])('%s → %s', (text, want) => {
    expect(qty(text)).toBe(want);
  });

  it('does not read a record id or a date as a quantity', () => {
    expect(qty('发放记录 6574785050316590785 的失效日期改成 2025-09-30')).toBeUndefined();
    expect(qty('失效日期 2025年12月31日')).toBeUndefined();
    expect(qty('new expiration date 2026-01-31')).toBeUndefined();
  });

  it('takes the days before a later date', () => {
    expect(qty('数量 4 天，失效日期 2025年12月31日')).toBe('4');
  });

  it.each([
    ['-2 days', '-2'], ['改成 -1 天', '-1'], ['quantity -1', '-1'], ['改成-1', '-1'], ['to -0.5 days', '-0.5'],
    ['减少1.5天', '-1.5'], ['扣 2 天', '-2'], ['扣掉半天', '-0.5'], ['扣除了 3 天', '-3'],
    ['deduct 2 days', '-2'], ['reduce it by 1.5 days', '-1.5'], ['minus 2 days', '-2'],
  ])('a minus sign or a deduction word makes it negative: %s → %s', (text, want) => {
    expect(qty(text)).toBe(want);
  });

  it('reads "reduce to" as the new value, and a hyphen inside a word as no sign', () => {
    expect(qty('减少到 2 天')).toBe('2');
    expect(qty('reduce to 2 days')).toBe('2');
    expect(qty('sign-on 2 days')).toBe('2');
  });

  it.each([['qty 2.5', '2.5'], ['acrual 7290123456789012345 -> 6', '6'], ['改0.5', '0.5']])('short forms: %s → %s', (text, want) => {
    expect(qty(text)).toBe(want);
  });
});
