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
});
