import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../../src/bot/router/normalize.js';
import { extractRecordId } from '../../../../src/bot/router/slots/record.js';

describe('extractRecordId', () => {
  it('takes exactly 19 digits, as a string', () => {
    expect(extractRecordId('修改发放记录 7479528644154553216，数量改为 5 天')).toBe('7479528644154553216');
    expect(extractRecordId('record7479528644154553216')).toBe('7479528644154553216');
  });

  it('ignores shorter and longer digit runs', () => {
    expect(extractRecordId('747952864415455321')).toBeUndefined();
    expect(extractRecordId('74795286441545532160')).toBeUndefined();
    expect(extractRecordId('2025-06-30')).toBeUndefined();
  });

  it('reads full-width digits once normalised', () => {
    expect(extractRecordId(normalizeText('７４７９５２８６４４１５４５５３２１６'))).toBe('7479528644154553216');
  });
});
