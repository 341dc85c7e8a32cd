import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../../src/bot/router/normalize.js';
import { routeIntent } from '../../../../src/bot/router/router.js';
import { extractAsOf } from '../../../../src/bot/router/slots/date.js';
import { extractMonth } from '../../../../src/bot/router/slots/month.js';

// The slot forms the generalisation issue lists, each read as the corpus labels them
// (today = 2025-03-15 in Shanghai).
const TODAY = { year: 2025, month: 3, day: 15 };
const NOW = { now: new Date('2025-03-15T04:00:00Z'), timeZone: 'Asia/Shanghai' };
const asOf = (text: string) => extractAsOf(normalizeText(text), TODAY);
const month = (text: string) => extractMonth(normalizeText(text), TODAY);

describe('balance dates in the future', () => {
  it.each([
    ['2027年三月底年假还剩多少', '2027-03-31'],
    ['二〇二六年三月底我的年假还剩几天', '2026-03-31'],
    ['二零二七年十二月三十一日的调休余额', '2027-12-31'],
    ['二〇二六年底还有几天假', '2026-12-31'],
    ['明年三月底年假还有几天', '2026-03-31'],
    ['明年二月底还有几天年假', '2026-02-28'],
    ['到明年十二月底我的调休还有多少', '2026-12-31'],
    ['明年底年假能剩几天', '2026-12-31'],
    ['end of February next year', '2026-02-28'],
    ['annual leave at the end of January next year', '2026-01-31'],
  ])('month ends with a year word or year, in Chinese numerals too: %s → %s', (text, want) => {
    expect(asOf(text)).toBe(want);
  });

  it.each([
    ['年底前我还有多少年假', '2025-12-31'],
    ['how much PTO will I have before year end', '2025-12-31'],
    ['vacation left before the year ends?', '2025-12-31'],
    ['今年结束前还能休几天', '2025-12-31'],
  ])('"before year end" / 年底前: %s → %s', (text, want) => {
    expect(asOf(text)).toBe(want);
  });

  it.each([
    ['what is my balance on 2025-09-30', '2025-09-30'],
    ['annual leave on 2025-06-30?', '2025-06-30'],
    ['sick leave as of 2025-11-30', '2025-11-30'],
    ['my PTO balance on 2026-01-15 please', '2026-01-15'],
  ])('an ISO date after "on": %s → %s', (text, want) => {
    expect(asOf(text)).toBe(want);
  });
});

describe('payslip months', () => {
  it.each([
    ['去年最后一个月的工资条', '2024-12'],
    ['payslip for the last month of last year', '2024-12'],
    ['2024年最后一个月的税后工资', '2024-12'],
    ['net pay for the final month of 2024', '2024-12'],
    ['three months back payslip', '2024-12'],
    ['3个月之前的工资单', '2024-12'],
    ['payslip for 10/2024', '2024-10'],
  ])('%s → %s', (text, want) => {
    expect(month(text)).toBe(want);
  });

  it('a month-first date does not swallow a full date or a decimal', () => {
    expect(month('payslip 2025-01')).toBe('2025-01');
    expect(month('1.5/2024')).toBeUndefined();
  });
});

describe('homophones (同音错字) of key words', () => {
  it.each([
    ['年价还剩几天', 'leave.balance', { leaveType: 'annual' }],
    ['上个月的工资跳', 'payslip', { month: '2025-02' }],
    ['明年底年嫁能剩几天', 'leave.balance', { leaveType: 'annual', asOf: '2026-12-31' }],
  ] as const)('%s → %s', (text, intent, slots) => {
    expect(routeIntent(text, NOW)).toMatchObject({ intent, slots });
  });
});
