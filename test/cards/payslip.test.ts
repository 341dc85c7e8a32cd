import { describe, expect, it } from 'vitest';
import { payslipCard, formatItemValue } from '../../cards/payslip.js';
import { CARD_MAX_BYTES, CARD_MAX_COMPONENTS, cardBytes, cardComponents, type Card } from '../../src/feishu/card.js';
import { createI18n } from '../../src/i18n.js';
import type { PayslipItem, PayslipResult } from '../../src/services/payslip.js';

const i18n = createI18n();
const NOW = new Date('2025-03-15T04:00:00Z');
const ctx = (locale: 'zh-CN' | 'en-US') => ({ locale, timeZone: 'Asia/Shanghai', now: NOW });

const item = (type: PayslipItem['type'], value: string, extra: Partial<PayslipItem> = {}): PayslipItem => ({
  id: `id-${type}`,
  name: { 'zh-CN': `项目-${type}`, 'en-US': `Item ${type}` },
  type,
  value,
  ...extra,
});

const ITEMS: PayslipItem[] = [
  item('amount', '12000'),
  item('number', '21.75'),
  item('percent', '12.5'),
  item('date', '2025-01-31'),
  item('text', 'a *bold* claim'),
  item('reference', '686', { reference: { 'zh-CN': '上海', 'en-US': 'Shanghai' } }),
];

const result = (over: Partial<PayslipResult> = {}): PayslipResult => ({
  asked: { month: '2025-01' },
  month: '2025-01',
  searched: ['2025-01'],
  payments: [{ activityId: 'a1', items: ITEMS }],
  ...over,
});

const markdownText = (c: Card) => c.body.elements.flatMap((e) => (e.tag === 'markdown' ? [e.content] : [])).join('\n');

describe('payslip values by accounting_item_type', () => {
  it.each([
    ['amount', '12000', '12,000.00', '12,000.00'],
    ['amount', '-35.5', '-35.50', '-35.50'],
    ['number', '21.75', '21.75', '21.75'],
    ['percent', '12.5', '12.5%', '12.5%'],
    ['percent', '8%', '8%', '8%'],
    ['date', '2025-01-31', 'Jan 31, 2025', '2025年1月31日'],
    ['date', '1738252800000', 'Jan 31, 2025', '2025年1月31日'],
    ['text', 'a *b*', 'a \\*b\\*', 'a \\*b\\*'],
    ['amount', 'n/a', 'n/a', 'n/a'],
  ] as const)('%s %s → en %s / zh %s', (type, raw, en, zh) => {
    expect(formatItemValue(item(type, raw), ctx('en-US'))).toBe(en);
    expect(formatItemValue(item(type, raw), ctx('zh-CN'))).toBe(zh);
  });

  it('reference items show the display value in the reader’s language', () => {
    expect(formatItemValue(ITEMS[5]!, ctx('en-US'))).toBe('Shanghai');
    expect(formatItemValue(ITEMS[5]!, ctx('zh-CN'))).toBe('上海');
  });
});

describe('payslip card', () => {
  it('lists every item with its name in the reader’s language; month in the subtitle', () => {
    const en = payslipCard(result(), i18n.t('en-US'), ctx('en-US'));
    expect(en.header?.subtitle?.content).toBe('January 2025');
    expect(markdownText(en)).toContain('Item amount: **12,000.00**');
    const zh = payslipCard(result(), i18n.t('zh-CN'), ctx('zh-CN'));
    expect(zh.header?.subtitle?.content).toBe('2025年1月');
    expect(markdownText(zh)).toContain('项目-amount：**12,000.00**');
    expect(markdownText(zh)).toContain('项目-reference：**上海**');
  });

  it('an item that came without a name is shown by its place, never by its raw id', () => {
    const unnamed = item('amount', '500', { id: '7202076988667019399', name: {} });
    const c = payslipCard(result({ payments: [{ activityId: 'a1', items: [ITEMS[0]!, unnamed] }] }), i18n.t('en-US'), ctx('en-US'));
    expect(markdownText(c)).toContain('Item 2: **500.00**');
    expect(JSON.stringify(c)).not.toContain('7202076988667019399');
    const zh = payslipCard(result({ payments: [{ activityId: 'a1', items: [unnamed] }] }), i18n.t('zh-CN'), ctx('zh-CN'));
    expect(markdownText(zh)).toContain('算薪项 1：**500.00**');
  });

  it('several pay runs in a month are labelled', () => {
    const c = payslipCard(result({ payments: [{ activityId: 'a', items: ITEMS }, { activityId: 'b', items: ITEMS.slice(0, 1) }] }), i18n.t('en-US'), ctx('en-US'));
    expect(markdownText(c)).toContain('Payment 2 of 2');
  });

  it('empty month and empty lookback each say what was searched', () => {
    const month = payslipCard(result({ payments: [] }), i18n.t('en-US'), ctx('en-US'));
    expect(markdownText(month)).toContain('No payslip found for January 2025');
    const latest = payslipCard(result({ asked: {}, month: undefined, searched: ['2025-03', '2025-02', '2025-01'], payments: [] }), i18n.t('zh-CN'), ctx('zh-CN'));
    expect(markdownText(latest)).toContain('最近 3 个月没有查到工资条');
    expect(latest.header?.subtitle).toBeUndefined();
  });

  it('refresh re-runs the asked month (or "latest") and names nobody', () => {
    const latest = payslipCard(result({ asked: {} }), i18n.t('en-US'), ctx('en-US'));
    expect(JSON.stringify(latest)).toContain('"slots":"{}"');
    expect(JSON.stringify(latest)).not.toMatch(/ou_|open_id|employee/);
  });

  it('a month with 150 pay runs stays within 200 components, and the rest are counted', () => {
    const runs = Array.from({ length: 150 }, (_, i) => ({ activityId: `run${i}`, items: [item('amount', String(100 + i), { id: `r${i}` })] }));
    for (const locale of ['en-US', 'zh-CN'] as const) {
      const c = payslipCard(result({ payments: runs }), i18n.t(locale), ctx(locale));
      expect(cardComponents(c)).toBeLessThanOrEqual(CARD_MAX_COMPONENTS);
      expect(cardBytes(c)).toBeLessThan(CARD_MAX_BYTES);
      expect(markdownText(c)).toMatch(/(?<!\d)\d+ more items|还有 \d+ 项/);
    }
  });

  it('200 items stay under 30 KB in both languages and the rest are counted', () => {
    const many = Array.from({ length: 200 }, (_, i) =>
      item('amount', String(1000 + i), { id: `i${i}`, name: { 'zh-CN': `补贴项目名称很长很长第${i}项`, 'en-US': `Allowance with a rather long name #${i}` } }),
    );
    for (const locale of ['en-US', 'zh-CN'] as const) {
      const c = payslipCard(result({ payments: [{ activityId: 'a', items: many }] }), i18n.t(locale), ctx(locale));
      expect(cardBytes(c)).toBeLessThan(CARD_MAX_BYTES);
      const text = markdownText(c);
      const shown = text.split('\n').filter((l) => /#\d+:|第\d+项：/.test(l)).length;
      const hidden = Number(/(?<!\d)(\d+) more items|还有 (\d+) 项/.exec(text)?.slice(1).find(Boolean));
      expect(shown + hidden).toBe(200);
      expect(c.body.elements.length).toBeLessThanOrEqual(200);
    }
  });
});
