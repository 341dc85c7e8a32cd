import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../../src/bot/router/normalize.js';
import { extractYear } from '../../../../src/bot/router/slots/year.js';

const TODAY = { year: 2025, month: 3, day: 15 };
const year = (text: string): number | undefined => extractYear(normalizeText(text), TODAY);

describe('extractYear', () => {
  it.each([
    ['2024', 2024], ['2024年的奖金', 2024], ['24年', 2024], ['FY24 bonus', 2024], ['去年', 2024],
    ['last year', 2024], ['今年', 2025], ['this year', 2025], ['前年的年终奖', 2023], ['next year', 2026],
    ['２０２３年', 2023], ['last yr bonus', 2024], ['prev yr relo', 2024], ['this yr', 2025], ['next yr', 2026],
  ])('%s → %s', (text, want) => {
    expect(year(text)).toBe(want);
  });

  it('does not read 年终奖 or a record id as a year', () => {
    expect(year('年终奖')).toBeUndefined();
    expect(year('record 6893014062142064135')).toBeUndefined();
    expect(year('5年工龄')).toBeUndefined();
  });
});
