import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../../src/bot/router/normalize.js';
import { extractAsOf, extractExpirationDate, findDates } from '../../../../src/bot/router/slots/date.js';

const TODAY = { year: 2025, month: 3, day: 15 };
const asOf = (text: string, today = TODAY): string | undefined => extractAsOf(normalizeText(text), today);

describe('extractAsOf', () => {
  it.each([
    ['2025-12-31', '2025-12-31'], ['2025/4/30', '2025-04-30'], ['2025年12月31日', '2025-12-31'],
    ['6月底', '2025-06-30'], ['六月底', '2025-06-30'], ['end of June', '2025-06-30'], ['June end', '2025-06-30'],
    ['年底', '2025-12-31'], ['年末', '2025-12-31'], ['end of the year', '2025-12-31'], ['year-end', '2025-12-31'],
    ['明年年底', '2026-12-31'], ['end of next year', '2026-12-31'], ['2026年底', '2026-12-31'],
    ['april 30', '2025-04-30'], ['April 30th, 2026', '2026-04-30'], ['30 April', '2025-04-30'],
    ['4月30号', '2025-04-30'], ['9月30日', '2025-09-30'], ['end of April', '2025-04-30'],
    ['月底', '2025-03-31'], ['本月底', '2025-03-31'], ['end of next month', '2025-04-30'], ['下个月底', '2025-04-30'],
    ['截至6月', '2025-06-30'], ['by June', '2025-06-30'], ['as of 2025-09-30', '2025-09-30'],
  ])('%s → %s (now 2025-03-15)', (text, want) => {
    expect(asOf(text)).toBe(want);
  });

  it('puts a month-end without a year in the current year, even a past one', () => {
    expect(asOf('2月底')).toBe('2025-02-28');
    expect(asOf('2月底', { year: 2024, month: 6, day: 1 })).toBe('2024-02-29');
  });

  it('gives nothing for words that are not dates', () => {
    expect(asOf('今年年假还剩几天')).toBeUndefined();
    expect(asOf('我现在有多少天调休')).toBeUndefined();
    expect(asOf('how many days do I have today')).toBeUndefined();
    expect(asOf('年终奖')).toBeUndefined();
  });

  it('rejects impossible dates', () => {
    expect(asOf('2月30日')).toBeUndefined();
    expect(asOf('2025-13-01')).toBeUndefined();
  });

  it('prefers the reading that starts first ("6月底" is June, not this month)', () => {
    expect(findDates(normalizeText('6月底和年底'), TODAY).map((h) => h.date)).toEqual(['2025-06-30', '2025-12-31']);
  });
});

describe('extractExpirationDate', () => {
  const expiry = (text: string): string | undefined => extractExpirationDate(normalizeText(text), TODAY);

  it('takes the date after an expiry word', () => {
    expect(expiry('改成 2.5 天，失效日期 2025-06-30，原因：补录')).toBe('2025-06-30');
    expect(expiry('3 days, expires 2025-12-31')).toBe('2025-12-31');
    expect(expiry('as of 2025-01-01 set it, expiring 2025-10-31')).toBe('2025-10-31');
  });

  it('takes a lone date without an expiry word, and nothing when there is none', () => {
    expect(expiry('Update grant record 1 to 2025-08-31')).toBe('2025-08-31');
    expect(expiry('数量改为 5 天')).toBeUndefined();
  });
});

describe('extractAsOf: balances at a future date', () => {
  it.each([
    ['今年6月底年假还剩几天', '2025-06-30'], ['今年九月底', '2025-09-30'], ['今年的11月底', '2025-11-30'],
    ['本年7月末', '2025-07-31'], ['明年1月底', '2026-01-31'], ['明年二月末', '2026-02-28'], ['截至明年6月底', '2026-06-30'],
    ['明年3月1号', '2026-03-01'], ['去年十二月底', '2024-12-31'],
  ])('a month end with a year word in Chinese: %s → %s', (text, want) => {
    expect(asOf(text)).toBe(want);
  });

  it.each([
    ['how much PTO before the year ends', '2025-12-31'], ['before the year is over', '2025-12-31'],
    ['before the year runs out', '2025-12-31'], ['今年结束前年假还剩多少', '2025-12-31'], ['年内还能休几天', '2025-12-31'],
    ["by year's end", '2025-12-31'],
  ])('before the year ends: %s → %s', (text, want) => {
    expect(asOf(text)).toBe(want);
  });

  it.each([
    ['leave balance on 2025-06-30', '2025-06-30'], ['PTO as at 2025-05-01', '2025-05-01'], ['comp time at 2025-07-15', '2025-07-15'],
    ['remaining on 2025/12/01', '2025-12-01'], ['for 2025-08-31', '2025-08-31'], ['在2025-09-01时', '2025-09-01'],
  ])('an ISO date after a preposition: %s → %s', (text, want) => {
    expect(asOf(text)).toBe(want);
  });
});

describe('extractAsOf: quarters, spans from today and weekdays (now Saturday 2025-03-15)', () => {
  it.each([
    ['Q2 end', '2025-06-30'], ['第二季度末', '2025-06-30'], ['end of Q3', '2025-09-30'], ['二季度末年假还剩多少', '2025-06-30'],
    ['Q2结束时的假期余额', '2025-06-30'], ['Q4末', '2025-12-31'], ['end of the second quarter', '2025-06-30'],
    ['third quarter end', '2025-09-30'], ['明年一季度末', '2026-03-31'], ['2026年第四季度底', '2026-12-31'], ['q4 2026 end', '2026-12-31'],
    ['季末', '2025-03-31'], ['本季度末', '2025-03-31'], ['下个季度末', '2025-06-30'], ['end of this quarter', '2025-03-31'],
    ['next quarter end', '2025-06-30'], ['上半年结束的时候', '2025-06-30'], ['下半年末', '2025-12-31'], ['H1 end', '2025-06-30'],
    ['end of the second half', '2025-12-31'],
  ])('a quarter or half-year end: %s → %s', (text, want) => {
    expect(asOf(text)).toBe(want);
  });

  it.each([
    ['三个月后我还有几天年假', '2025-06-15'], ['3个月之后年假余额', '2025-06-15'], ['3 months from now', '2025-06-15'],
    ['how much annual leave will I have three months from now', '2025-06-15'], ['in 3 months', '2025-06-15'],
    ['两周后', '2025-03-29'], ['10天以后', '2025-03-25'], ['半年后', '2025-09-15'], ['two weeks later', '2025-03-29'],
  ])('a span from today: %s → %s', (text, want) => {
    expect(asOf(text)).toBe(want);
  });

  it('clamps a span to the end of a shorter month', () => {
    expect(asOf('一个月后', { year: 2025, month: 1, day: 31 })).toBe('2025-02-28');
    expect(asOf('one month from now', { year: 2024, month: 1, day: 31 })).toBe('2024-02-29');
  });

  it.each([
    ['下周五的时候我还有几天年假', '2025-03-21'], ['到下周五年假还剩多少', '2025-03-21'], ['下个星期一', '2025-03-17'],
    ['下礼拜天', '2025-03-23'], ['下下周三', '2025-03-26'], ['本周五', '2025-03-14'], ['到周五', '2025-03-21'],
    ['next Friday', '2025-03-21'], ['Friday next week', '2025-03-21'], ['this friday', '2025-03-21'], ['by Thursday', '2025-03-20'],
  ])('a weekday: %s → %s', (text, want) => {
    expect(asOf(text)).toBe(want);
  });

  it('reads "next Friday" as the Friday of next week, "this Friday" as the coming one', () => {
    const monday = { year: 2025, month: 3, day: 17 };
    expect(asOf('next Friday', monday)).toBe('2025-03-28');
    expect(asOf('下周五', monday)).toBe('2025-03-28');
    expect(asOf('this Friday', monday)).toBe('2025-03-21');
  });

  it.each([
    ['下下个月底调休还有多少', '2025-05-31'], ['end of the month after next', '2025-05-31'], ['到June底AL还剩多少', '2025-06-30'],
    ['how much AL will I have when the year wraps up', '2025-12-31'], ["by new year's eve", '2025-12-31'], ['元旦前', '2025-12-31'],
  ])('other future forms: %s → %s', (text, want) => {
    expect(asOf(text)).toBe(want);
  });

  it('gives nothing for a schedule, a count or a month name', () => {
    expect(asOf('每周五推送')).toBeUndefined();
    expect(asOf('一周一次')).toBeUndefined();
    expect(asOf('3月后')).toBeUndefined();
    expect(asOf('我入职三个月了')).toBeUndefined();
    expect(asOf('I have been here 3 months')).toBeUndefined();
  });
});
