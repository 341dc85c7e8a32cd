import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { installFeishuMock } from '../../support/feishu-mock.js';
import { ASKER, NOW, OTHER, createGuard, makeSelfService, seedHandlers, type Guard } from '../../support/self-service.js';
import { leaveBalanceCommand } from '../../../src/bot/intents/leave-balance.js';
import { lumpSumCommand } from '../../../src/bot/intents/lump-sum.js';
import { payslipCommand } from '../../../src/bot/intents/payslip.js';
import { helpLines } from '../../../src/bot/intents/registry.js';
import type { BotContext } from '../../../src/bot/context.js';
import type { PayslipSlots } from '../../../src/domain/slots.js';
import { createI18n } from '../../../src/i18n.js';
import { silentLogger } from '../../../src/log.js';
import type { SelfService } from '../../../src/services/self-service.js';
import { createMemoryStore } from '../../../src/store/memory.js';
import { storeKeys } from '../../../src/store/keys.js';
import { testConfig } from '../../support/test-config.js';

const mock = installFeishuMock();
const i18n = createI18n();
let guard: Guard;

function ctx(over: Partial<BotContext> = {}): BotContext {
  const locale = over.locale ?? 'en-US';
  return { openId: ASKER, locale, t: i18n.t(locale), now: NOW, timeZone: 'Asia/Shanghai', ...over };
}

/** The three self-service intents bound to `selfService`, as the registry binds them. */
function bind(selfService: SelfService) {
  const config = testConfig({});
  const deps = { config, store: createMemoryStore(), keys: storeKeys(config.feishu.appId), i18n, logger: silentLogger, selfService, helpLines };
  return { leaveBalance: leaveBalanceCommand.build(deps), payslip: payslipCommand.build(deps), lumpSum: lumpSumCommand.build(deps) };
}
const handleLeaveBalance = (c: BotContext, slots: Parameters<ReturnType<typeof bind>['leaveBalance']>[1], d: { selfService: SelfService }) =>
  bind(d.selfService).leaveBalance(c, slots);
const handlePayslip = (c: BotContext, slots: PayslipSlots, d: { selfService: SelfService }) => bind(d.selfService).payslip(c, slots);
const handleLumpSum = (c: BotContext, slots: Parameters<ReturnType<typeof bind>['lumpSum']>[1], d: { selfService: SelfService }) =>
  bind(d.selfService).lumpSum(c, slots);

function setup() {
  guard = createGuard();
  mock.use(...seedHandlers(mock, guard));
  return makeSelfService(mock);
}

afterEach(() => expect(guard.violations).toEqual([]));

describe('self-service intents', () => {
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

  it('every self-service answer is marked sensitive so the bot delivers it to the asker only', async () => {
    const { selfService } = setup();
    const reply = await handlePayslip(ctx(), { month: '2025-01' }, { selfService });
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
