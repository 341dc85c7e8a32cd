import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../../src/bot/router/normalize.js';
import { extractMonth } from '../../../../src/bot/router/slots/month.js';

const MARCH_15 = { year: 2025, month: 3, day: 15 };
const JAN_10 = { year: 2025, month: 1, day: 10 };
const month = (text: string, today = MARCH_15): string | undefined => extractMonth(normalizeText(text), today);

describe('extractMonth', () => {
  it.each([
    ['Jan', '2025-01'], ['January', '2025-01'], ['1月', '2025-01'], ['一月', '2025-01'],
    ['March', '2025-03'], ['April payslip', '2024-04'], ['十二月', '2024-12'], ['十月份', '2024-10'],
    ['十一月的工资', '2024-11'], ['2025年1月', '2025-01'], ['24年12月', '2024-12'], ['2025-01', '2025-01'],
    ['2025.01', '2025-01'], ['2025/1', '2025-01'], ['Nov 2024', '2024-11'], ['November, 2024', '2024-11'],
    ['2024 年 十二月', '2024-12'], ['去年12月', '2024-12'], ['December last year', '2024-12'],
    ['last month', '2025-02'], ['上个月', '2025-02'], ['上月', '2025-02'], ['this month', '2025-03'],
    ['本月', '2025-03'], ['这个月', '2025-03'], ['上上个月', '2025-01'], ['3 months ago', '2024-12'],
    ['两个月前', '2025-01'], ['Sept', '2024-09'],
  ])('%s → %s (now 2025-03-15)', (text, want) => {
    expect(month(text)).toBe(want);
  });

  it('reads a month without a year as the latest such month not after now, across the new year', () => {
    expect(month('Dec', JAN_10)).toBe('2024-12');
    expect(month('Jan', JAN_10)).toBe('2025-01');
    expect(month('Feb', JAN_10)).toBe('2024-02');
    expect(month('last month', JAN_10)).toBe('2024-12');
    expect(month('上个月', JAN_10)).toBe('2024-12');
    expect(month('this month', JAN_10)).toBe('2025-01');
  });

  it('folds full-width digits first', () => {
    expect(month('１月工资条')).toBe('2025-01');
    expect(month('２０２４年１１月')).toBe('2024-11');
  });

  it('tells the month of May from the verb', () => {
    expect(month('May I see my payslip?')).toBeUndefined();
    expect(month('payslip may')).toBe('2024-05');
    expect(month('my payslip for May')).toBe('2024-05');
  });

  it('reads "查一下一月" as January, not "next month"', () => {
    expect(month('查一下一月的工资')).toBe('2025-01');
    expect(month('下个月的工资条')).toBe('2025-04');
  });

  it('finds nothing when no month is named', () => {
    expect(month('我的最新工资条')).toBeUndefined();
    expect(month('3个月的工资')).toBeUndefined();
  });
});

describe('extractMonth: a year’s first or last month', () => {
  it.each([
    ['去年最后一个月的工资条', '2024-12'], ['the payslip for the last month of last year', '2024-12'],
    ['last month of last year payslip', '2024-12'], ['the final month of last year', '2024-12'], ['去年年底那个月', '2024-12'],
    ['上一年最后一个月', '2024-12'], ['前年最后一个月', '2023-12'], ["last year's final month", '2024-12'],
    ['今年第一个月的工资条', '2025-01'], ['payslip for the first month of this year', '2025-01'], ['去年第一个月', '2024-01'],
    ["first month of last year's payslip", '2024-01'],
  ])('%s → %s (not "last month")', (text, want) => {
    expect(month(text)).toBe(want);
  });
});

describe('extractMonth: quarters and short forms', () => {
  const TODAY = { year: 2025, month: 3, day: 15 };
  const AUGUST = { year: 2025, month: 8, day: 1 };
  const month = (text: string, today = TODAY) => extractMonth(normalizeText(text), today);

  it.each([
    ['上个季度最后一个月的工资条', '2024-12', '2025-06'], ['the payslip for the last month of last quarter', '2024-12', '2025-06'],
    ['去年第四季度最后一个月的工资单', '2024-12', '2024-12'], ['去年Q4最后一个月的薪资单', '2024-12', '2024-12'],
    ['payslip for the last month of Q4 2024', '2024-12', '2024-12'], ['二季度最后一个月的工资条', '2024-06', '2025-06'],
  ])('%s → %s (in March), %s (in August)', (text, march, august) => {
    expect(month(text)).toBe(march);
    expect(month(text, AUGUST)).toBe(august);
  });

  it.each([['last mth payslip', '2025-02'], ['上个mth的payslip', '2025-02'], ['payslip lm', '2025-02']])('%s → %s', (text, want) => {
    expect(month(text)).toBe(want);
  });
});
