import { describe, expect, it } from 'vitest';
import { extractReason, withoutReason } from '../../../../src/bot/router/slots/reason.js';

describe('extractReason', () => {
  it('takes the free text after 原因 / reason, as written', () => {
    expect(extractReason('改成 2.5 天，失效日期 2025-06-30，原因：补录')).toBe('补录');
    expect(extractReason('to 3 days, expires 2025-12-31, reason: overtime in Feb')).toBe('overtime in Feb');
    expect(extractReason('Reason - carry-over correction.')).toBe('carry-over correction');
    expect(extractReason('adjust it because the system miscounted')).toBe('the system miscounted');
  });

  it('finds nothing when no reason is given', () => {
    expect(extractReason('修改发放记录 7479528644154553216，数量改为 5 天')).toBeUndefined();
    expect(extractReason('reason:')).toBeUndefined();
  });

  it('cuts the reason off the text the intent is read from', () => {
    expect(withoutReason('adjust accrual record 1 to 1 day, reason: manager approved')).toBe('adjust accrual record 1 to 1 day, ');
  });
});
