import { describe, expect, it } from 'vitest';
import { lumpSumCard } from '../../cards/lump-sum.js';
import { CARD_MAX_BYTES, cardBytes, type Card } from '../../src/feishu/card.js';
import { createI18n } from '../../src/i18n.js';
import type { LumpSumPayment, LumpSumResult } from '../../src/services/lump-sum.js';

const i18n = createI18n();
const ctx = (locale: 'zh-CN' | 'en-US') => ({ locale, timeZone: 'Asia/Shanghai', now: new Date('2025-03-15T04:00:00Z') });
const markdownText = (c: Card) => c.body.elements.flatMap((e) => (e.tag === 'markdown' ? [e.content] : [])).join('\n');

const payment: LumpSumPayment = {
  id: 'r1',
  totalAmount: '2000.00',
  itemId: '7411039006180312620',
  remark: 'sign-on',
  description: { 'zh-CN': '分2次发放', 'en-US': 'Paid in 2 installments' },
  referencePeriod: { start: '2024-08-01', end: '2024-09-30' },
  createdAt: '2024-08-01 12:34:56',
  issuances: [
    { amount: '1000.00', status: 'to_be_issued', way: 'with_salary', date: '2024-08-01' },
    { amount: '1000.00', status: 'mystery_status', way: undefined, date: undefined },
  ],
};
const result = (over: Partial<LumpSumResult> = {}): LumpSumResult => ({ asked: {}, year: undefined, payments: [payment], ...over });

describe('one-time payments card', () => {
  it('English: total, description, remark, issuances with status and way', () => {
    const text = markdownText(lumpSumCard(result(), i18n.t('en-US'), ctx('en-US')));
    expect(text).toContain('**2,000.00** in total');
    expect(text).toContain('Paid in 2 installments');
    expect(text).toContain('Remark: sign-on');
    expect(text).toContain('• Aug 1, 2024 · 1,000.00 · to be paid · with salary');
    expect(text).toContain('• date to be set · 1,000.00 · mystery\\_status · —');
    // Item names, never raw ids.
    expect(text).not.toContain('7411039006180312620');
  });

  it('Chinese, with a year', () => {
    const c = lumpSumCard(result({ year: 2024, asked: { year: 2024 } }), i18n.t('zh-CN'), ctx('zh-CN'));
    expect(c.header?.subtitle?.content).toBe('2024 年');
    const text = markdownText(c);
    expect(text).toContain('总金额 **2,000.00**');
    expect(text).toContain('分2次发放');
    expect(text).toContain('• 2024年8月1日 · 1,000.00 · 应发放 · 随工资发放');
    expect(JSON.stringify(c)).toContain('\\"year\\":2024');
  });

  it('with the item name and currency resolved: the name heads the payment, amounts in the currency’s style', () => {
    const named: LumpSumPayment = {
      ...payment,
      currency: 'USD',
      itemName: { 'zh-CN': '签约奖金', 'en-US': 'Sign-on bonus' },
      issuances: payment.issuances.map((i) => ({ ...i, currency: 'USD' })),
    };
    const en = markdownText(lumpSumCard(result({ payments: [named] }), i18n.t('en-US'), ctx('en-US')));
    expect(en).toMatch(/^\*\*Sign-on bonus\*\*\n\*\*\$2,000\.00\*\* in total/);
    expect(en).toContain('• Aug 1, 2024 · $1,000.00 · to be paid · with salary');
    const zh = markdownText(lumpSumCard(result({ payments: [named] }), i18n.t('zh-CN'), ctx('zh-CN')));
    expect(zh).toContain('**签约奖金**');
    expect(zh).toContain('总金额 **US$2,000.00**');
  });

  it('without a resolved name: a generic label in the reader’s language', () => {
    expect(markdownText(lumpSumCard(result(), i18n.t('en-US'), ctx('en-US')))).toMatch(/^\*\*One-time payment\*\*/);
    expect(markdownText(lumpSumCard(result(), i18n.t('zh-CN'), ctx('zh-CN')))).toMatch(/^\*\*一次性支付\*\*/);
  });

  it('empty states', () => {
    expect(markdownText(lumpSumCard(result({ payments: [] }), i18n.t('en-US'), ctx('en-US')))).toContain('no one-time payments on record');
    expect(markdownText(lumpSumCard(result({ payments: [], year: 2023 }), i18n.t('zh-CN'), ctx('zh-CN')))).toContain('2023 年的一次性支付');
  });

  it('many payments are summarised under 30 KB', () => {
    const many = Array.from({ length: 120 }, (_, i) => ({ ...payment, id: `r${i}` }));
    const c = lumpSumCard(result({ payments: many }), i18n.t('en-US'), ctx('en-US'));
    expect(cardBytes(c)).toBeLessThan(CARD_MAX_BYTES);
    expect(markdownText(c)).toMatch(/and \d+ more payments/);
  });
});
