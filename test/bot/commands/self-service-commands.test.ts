import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { installFeishuMock } from '../../support/feishu-mock.js';
import { ASKER, NOW, OTHER, createGuard, makeSelfService, seedHandlers, type Guard } from '../../support/self-service.js';
import { handleLeaveBalance } from '../../../src/bot/commands/leave-balance.js';
import { handlePayslip } from '../../../src/bot/commands/payslip.js';
import { handleLumpSum } from '../../../src/bot/commands/lump-sum.js';
import type { BotContext, PayslipSlots } from '../../../src/bot/context.js';
import { createI18n } from '../../../src/i18n.js';
import type { SelfService } from '../../../src/services/self-service.js';

const mock = installFeishuMock();
const i18n = createI18n();
let guard: Guard;

function ctx(over: Partial<BotContext> = {}): BotContext {
  const locale = over.locale ?? 'en-US';
  return { openId: ASKER, chatId: 'oc_p2p', isPrivate: true, locale, t: i18n.t(locale), now: NOW, timeZone: 'Asia/Shanghai', ...over };
}

function setup() {
  guard = createGuard();
  mock.use(...seedHandlers(mock, guard));
  return makeSelfService(mock);
}

afterEach(() => expect(guard.violations).toEqual([]));

describe('self-service command handlers', () => {
  it('each answers with a sensitive card built from the service', async () => {
    const { selfService, log } = setup();
    const leave = await handleLeaveBalance(ctx(), { leaveType: 'annual' }, { selfService });
    const pay = await handlePayslip(ctx({ locale: 'zh-CN' }), { month: '2025-01' }, { selfService });
    const lump = await handleLumpSum(ctx(), { year: 2024 }, { selfService });
    expect([leave.sensitive, pay.sensitive, lump.sensitive]).toEqual([true, true, true]);
    expect(leave.card.header?.title.content).toBe('My leave balances');
    expect(pay.card.header?.title.content).toBe('我的工资条');
    expect(JSON.stringify(pay.card)).toContain('12,000.00');
    expect(lump.card.header?.subtitle?.content).toBe('Year 2024');
    expect(log.text()).not.toMatch(/12,?000|9,?876|2000\.00/);
  });

  it('upstream failures become an error card (never a throw, never a stack trace)', async () => {
    const { selfService } = setup();
    mock.use(http.post(`${mock.baseUrl}/open-apis/payroll/v1/payment_detail/query`, () => HttpResponse.json({ code: 2500004, msg: 'too long' }, { status: 400 })));
    const reply = await handlePayslip(ctx(), { month: '2025-01' }, { selfService });
    expect(reply.sensitive).toBe(true);
    const json = JSON.stringify(reply.card);
    expect(json).toContain('The pay period is too long');
    expect(json).toContain('Error code 2500004');
    expect(json).not.toMatch(/at \w+ \(|FeishuApiError/);
  });

  it('persistent 5xx after bounded retries → error card with "Try again"', async () => {
    const { selfService } = setup();
    mock.use(http.post(`${mock.baseUrl}/open-apis/compensation/v1/lump_sum_payment/query`, () => HttpResponse.json({ code: 2290002, msg: 'server error' }, { status: 500 })));
    const reply = await handleLumpSum(ctx({ locale: 'zh-CN' }), {}, { selfService });
    const json = JSON.stringify(reply.card);
    expect(json).toContain('人事系统暂时出现问题');
    expect(json).toContain('重试');
    expect(mock.callsTo('/open-apis/compensation/v1/lump_sum_payment/query')).toHaveLength(2);
  });

  it('an unexpected bug is an apology card, not a crash', async () => {
    const broken: SelfService = {
      leaveBalances: () => Promise.reject(new TypeError('boom')),
      payslip: () => Promise.reject(new TypeError('boom')),
      lumpSums: () => Promise.reject(new TypeError('boom')),
    };
    guard = createGuard();
    const reply = await handleLeaveBalance(ctx(), {}, { selfService: broken });
    expect(JSON.stringify(reply.card)).toContain('something went wrong');
  });

  it('a group-chat ask is still marked sensitive so the bot delivers it privately', async () => {
    const { selfService } = setup();
    const reply = await handlePayslip(ctx({ isPrivate: false, chatId: 'oc_group' }), { month: '2025-01' }, { selfService });
    expect(reply.sensitive).toBe(true);
  });

  it('forged slots naming another person change nothing: only the asker is queried', async () => {
    const { selfService } = setup();
    const forged = { month: '2025-01', openId: OTHER, employee_ids: [OTHER] } as PayslipSlots;
    const reply = await handlePayslip(ctx(), forged, { selfService });
    expect(JSON.stringify(reply.card)).not.toContain(OTHER);
    expect(JSON.stringify(mock.calls.map((c) => [c.query.toString(), c.body]))).not.toContain(OTHER);
  });
});
