import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../../src/bot/router/normalize.js';
import { extractQuantity, hasRelativeChange } from '../../../../src/bot/router/slots/quantity.js';

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
    ['-2 days', '-2'], ['改成 -1 天', '-1'], ['改成 -2 天', '-2'], ['quantity -1', '-1'], ['quantity -2', '-2'], ['改成-1', '-1'],
    ['to -0.5 days', '-0.5'], ['set it to -2', '-2'],
  ])('a minus sign written on the new quantity is kept: %s → %s', (text, want) => {
    expect(qty(text)).toBe(want);
  });

  // The slot is the record's new quantity (the PATCH body's `quantity`): an amount to take off
  // or add is not one, and reading "减少1.5天" as -1.5 would set a 3-day grant to -1.5.
  it.each([
    '减少1.5天', '减少了 1.5 天', '减去2天', '扣 2 天', '扣掉半天', '扣除了 3 天', '减 1 天', '少算 1 天',
    '增加 1 天', '加 2 天', '追加半天', '多给 1 天',
    'deduct 2 days', 'reduce it by 1.5 days', 'reduce by 2', 'take off 2 days', 'minus 2 days', 'subtract 1 day',
    'cut by 2 days', 'cut it by 2', 'add 2 days', 'increase by 1.5', 'increase it by 2 days', 'extend by 3 days',
  ])('a relative change fills no quantity: %s', (text) => {
    expect(qty(text)).toBeUndefined();
    expect(hasRelativeChange(normalizeText(text))).toBe(true);
  });

  it('reads "reduce to" as the new value, and a hyphen inside a word as no sign', () => {
    expect(qty('减少到 2 天')).toBe('2');
    expect(qty('增加到 5 天')).toBe('5');
    expect(qty('reduce to 2 days')).toBe('2');
    expect(qty('increase it to 4 days')).toBe('4');
    expect(qty('sign-on 2 days')).toBe('2');
    expect(hasRelativeChange(normalizeText('减少到 2 天'))).toBe(false);
  });

  it('takes a new quantity given after a relative change', () => {
    expect(qty('扣 1 天，改成 2 天')).toBe('2');
    expect(qty('reduce by 1 day, i.e. set it to 2 days')).toBe('2');
    expect(hasRelativeChange(normalizeText('扣 1 天，改成 2 天'))).toBe(false);
  });

  it.each([['qty 2.5', '2.5'], ['acrual 7290123456789012345 -> 6', '6'], ['改0.5', '0.5']])('short forms: %s → %s', (text, want) => {
    expect(qty(text)).toBe(want);
  });
});
