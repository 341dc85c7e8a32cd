import { describe, expect, it } from 'vitest';
import { leaveBalanceCard } from '../../cards/leave-balance.js';
import { RUN_INTENT_ACTION } from '../../cards/common.js';
import { CARD_MAX_BYTES, cardBytes, type Card, type CardElement } from '../../src/feishu/card.js';
import { createI18n } from '../../src/i18n.js';
import type { LeaveBalance, LeaveBalanceResult } from '../../src/services/leave.js';

const i18n = createI18n();
const NOW = new Date('2025-03-15T04:00:00Z');
const ctx = (locale: 'zh-CN' | 'en-US') => ({ locale, timeZone: 'Asia/Shanghai', now: NOW });

const annual: LeaveBalance = {
  leaveTypeId: '7002',
  name: { 'zh-CN': '年假', 'en-US': 'Annual Leave' },
  code: 'annual',
  unit: 'day',
  figures: { kind: 'cycle', balance: 5.5, carriedOver: 2, grantedThisCycle: 10, taken: 6.5 },
};
const toil: LeaveBalance = {
  leaveTypeId: '7003',
  name: { 'zh-CN': '调休' },
  code: 'compensatory',
  unit: 'hour',
  figures: { kind: 'cycle', balance: 1, carriedOver: 0, grantedThisCycle: 16, taken: 15 },
};

function result(over: Partial<LeaveBalanceResult> = {}): LeaveBalanceResult {
  return { provider: 'feishu', asked: {}, asOf: '2025-03-15', balances: [annual, toil], highlighted: [], ...over };
}

const text = (c: Card) => JSON.stringify(c);
function markdown(elements: CardElement[]): string[] {
  return elements.flatMap((e) =>
    e.tag === 'markdown' ? [e.content] : e.tag === 'column_set' ? e.columns.flatMap((col) => markdown(col.elements)) : [],
  );
}

describe('leave balance card', () => {
  it('English: balance, carried over, granted, taken and unit per type; as-of date in the subtitle', () => {
    const c = leaveBalanceCard(result(), i18n.t('en-US'), ctx('en-US'));
    expect(c.schema).toBe('2.0');
    expect(c.header?.subtitle?.content).toBe('As of Mar 15, 2025');
    const body = markdown(c.body.elements).join('\n');
    expect(body).toContain('**Annual Leave** — **5.5** days left');
    expect(body).toContain('Carried over 2 · Granted this cycle 10 · Taken 6.5');
    expect(body).toContain('**调休** — **1** hour left');
  });

  it('Chinese: the same in the reader’s language', () => {
    const c = leaveBalanceCard(result(), i18n.t('zh-CN'), ctx('zh-CN'));
    expect(c.header?.title.content).toBe('我的假期余额');
    expect(c.header?.subtitle?.content).toBe('截至 2025年3月15日');
    const body = markdown(c.body.elements).join('\n');
    expect(body).toContain('**年假**：剩余 **5.5** 天');
    expect(body).toContain('往期结转 2 · 本周期发放 10 · 已休 6.5');
    expect(body).toContain('**调休**：剩余 **1** 小时');
  });

  it('the asked-for type comes first, highlighted', () => {
    const c = leaveBalanceCard(result({ balances: [toil, annual], highlighted: ['7003'], requested: 'compensatory' }), i18n.t('en-US'), ctx('en-US'));
    const first = c.body.elements[0]!;
    expect(first.tag).toBe('column_set');
    expect(markdown([first])[0]).toContain('调休');
  });

  it('says so when the asked-for type does not exist, and shows the rest', () => {
    const c = leaveBalanceCard(result({ requested: 'marriage' }), i18n.t('en-US'), ctx('en-US'));
    expect(markdown(c.body.elements)[0]).toContain('No leave type matching “marriage leave”');
  });

  it('empty state', () => {
    for (const locale of ['en-US', 'zh-CN'] as const) {
      const c = leaveBalanceCard(result({ balances: [] }), i18n.t(locale), ctx(locale));
      expect(markdown(c.body.elements)[0]).toBe(i18n.t(locale)('leave.empty'));
    }
  });

  it('CompanyFlow figures: total, used, pending, available and carried forward, year subtitle', () => {
    const cf: LeaveBalance = {
      leaveTypeId: 'a1b2',
      name: { 'zh-CN': 'Annual Leave', 'en-US': 'Annual Leave' },
      code: 'annual',
      unit: 'day',
      figures: { kind: 'year', total: 22, used: 5, pending: 1.5, available: 15.5, carriedForward: 2 },
    };
    const c = leaveBalanceCard({ provider: 'companyflow', asked: {}, year: 2025, balances: [cf], highlighted: [] }, i18n.t('en-US'), ctx('en-US'));
    expect(c.header?.subtitle?.content).toBe('Year 2025');
    const body = markdown(c.body.elements).join('\n');
    expect(body).toContain('**Annual Leave** — **15.5** days available');
    expect(body).toContain('Total 22 · Used 5 · Pending 1.5 · Carried forward 2');
  });

  it('the refresh button re-runs the same ask and names nobody', () => {
    const c = leaveBalanceCard(result({ asked: { leaveType: 'annual', asOf: '2025-06-30' } }), i18n.t('en-US'), ctx('en-US'));
    const json = text(c);
    expect(json).toContain(RUN_INTENT_ACTION);
    expect(json).toContain(JSON.stringify(JSON.stringify({ leaveType: 'annual', asOf: '2025-06-30' })).slice(1, -1));
    expect(json).not.toMatch(/ou_|open_id|openId/);
  });

  it('50 leave types with long names stay under 30 KB and the rest are counted, not dropped silently', () => {
    const many = Array.from({ length: 50 }, (_, i): LeaveBalance => ({
      ...annual,
      leaveTypeId: `id-${i}`,
      name: { 'zh-CN': `很长很长的假期类型名称第${i}号`.repeat(4), 'en-US': `A very long leave type name number ${i} `.repeat(4) },
    }));
    for (const locale of ['en-US', 'zh-CN'] as const) {
      const c = leaveBalanceCard(result({ balances: many, highlighted: ['id-0'] }), i18n.t(locale), ctx(locale));
      expect(cardBytes(c)).toBeLessThan(CARD_MAX_BYTES);
      const shown = markdown(c.body.elements).join('\n').match(/days left|剩余/g)?.length ?? 0;
      const hiddenNote = markdown(c.body.elements).find((m) => /more leave types|种假期未显示/.test(m));
      const hidden = Number(/(\d+)/.exec(hiddenNote ?? '')?.[1]);
      expect(shown).toBeGreaterThan(10);
      expect(shown + hidden).toBe(50);
    }
  });
});
