import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { installFeishuMock } from '../support/feishu-mock.js';
import {
  ASKER,
  COMPANYFLOW_ENV,
  NOW,
  OTHER,
  OTHER_EMPLOYMENT_ID,
  companyflowFake,
  createGuard,
  makeSelfService,
  seedHandlers,
  type Guard,
} from '../support/self-service.js';
import { SelfServiceError } from '../../src/services/errors.js';
import type { LeaveBalanceSlots } from '../../src/domain/slots.js';

const mock = installFeishuMock();
let guard: Guard;

function setup(opts: Parameters<typeof makeSelfService>[1] = {}, asker = ASKER, payrollMonths?: Set<string>) {
  guard = asker === ASKER ? createGuard() : createGuard(OTHER, OTHER_EMPLOYMENT_ID);
  mock.use(...seedHandlers(mock, guard, payrollMonths ? { payrollMonths } : {}));
  return makeSelfService(mock, opts);
}

afterEach(() => expect(guard.violations).toEqual([]));

describe('leave balances (Feishu CoreHR)', () => {
  it('collects every page, completes names from the cached leave types, and gives unit and figures', async () => {
    const h = setup();
    const result = await h.selfService.leaveBalances(ASKER, {}, { now: NOW });
    expect(result.provider).toBe('feishu');
    expect(result.asOf).toBe('2025-03-15');
    expect(result.balances.map((b) => b.leaveTypeId)).toEqual(['7001', '7002', '7003']);
    const annual = result.balances.find((b) => b.leaveTypeId === '7002')!;
    expect(annual.name).toEqual({ 'zh-CN': '年假', 'en-US': 'Annual Leave' });
    expect(annual.code).toBe('annual');
    expect(annual.figures).toEqual({ kind: 'cycle', balance: 5.5, carriedOver: 2, grantedThisCycle: 10, taken: 6.5 });
    expect(result.balances.find((b) => b.leaveTypeId === '7003')!.unit).toBe('hour');
    expect(await h.store.get(h.keys.leaveTypes())).toContain('Annual Leave');

    await h.selfService.leaveBalances(ASKER, {}, { now: NOW });
    expect(mock.callsTo('/open-apis/corehr/v1/leaves/leave_types')).toHaveLength(1);
  });

  it('puts the asked-for type first and marks it highlighted; passes asOf through', async () => {
    const h = setup();
    const result = await h.selfService.leaveBalances(ASKER, { leaveType: 'annual', asOf: '2025-06-30' }, { now: NOW });
    expect(result.balances[0]!.leaveTypeId).toBe('7002');
    expect(result.highlighted).toEqual(['7002']);
    expect(result.asked).toEqual({ leaveType: 'annual', asOf: '2025-06-30' });
    expect(mock.callsTo('/open-apis/corehr/v1/leaves/leave_balances')[0]!.query.get('as_of_date')).toBe('2025-06-30');
  });

  it('an employee without balances gets an empty result, not an error', async () => {
    const h = setup();
    mock.use(
      http.get(`${mock.baseUrl}/open-apis/corehr/v1/leaves/leave_balances`, () =>
        HttpResponse.json({ code: 0, msg: 'success', data: { employment_leave_balance_list: [], has_more: false } }),
      ),
    );
    const result = await h.selfService.leaveBalances(ASKER, { leaveType: 'sick' }, { now: NOW });
    expect(result.balances).toEqual([]);
    expect(result.highlighted).toEqual([]);
  });

  it('leave types failing (e.g. no scope) only costs the translations', async () => {
    const h = setup();
    mock.use(
      http.get(`${mock.baseUrl}/open-apis/corehr/v1/leaves/leave_types`, () =>
        HttpResponse.json({ code: 99991672, msg: 'Access denied. One of the following scopes is required: [corehr:leave:read]' }, { status: 400 }),
      ),
    );
    const result = await h.selfService.leaveBalances(ASKER, {}, { now: NOW });
    expect(result.balances.find((b) => b.leaveTypeId === '7002')!.name).toEqual({ 'zh-CN': '年假' });
  });
});

describe('leave balances (CompanyFlow)', () => {
  it('email from contact, one token for two asks, one call per configured type for the current year', async () => {
    const fake = companyflowFake();
    const h = setup({ env: COMPANYFLOW_ENV });
    mock.use(...fake.handlers);
    const first = await h.selfService.leaveBalances(ASKER, { leaveType: 'annual' }, { now: NOW });
    await h.selfService.leaveBalances(ASKER, {}, { now: NOW });
    expect(first.provider).toBe('companyflow');
    expect(first.year).toBe(2025);
    expect(first.highlighted).toEqual(['a1b2c3d4-e5f6-7890-abcd-ef1234567890']);
    expect(first.balances[0]).toMatchObject({
      name: { 'en-US': 'Annual Leave' },
      figures: { kind: 'year', total: 22, used: 5, pending: 1.5, available: 15.5, carriedForward: 2 },
    });
    expect(fake.tokenCalls).toHaveLength(1);
    expect(fake.tokenCalls[0]!.get('subject_token')).toBe('zhang.san@example.com');
    expect(fake.balanceCalls.map((c) => c.year)).toEqual(['2025', '2025']);
    expect(mock.callsTo('/open-apis/contact/v3/users/')).toHaveLength(1);
    expect(h.log.text()).not.toContain('zhang.san@example.com');
    expect(h.log.text()).not.toContain('cf-employee-token');
  });

  it('a rejected token (401) is a clear failure, not a crash', async () => {
    const fake = companyflowFake();
    fake.tokenStatus = 401;
    const h = setup({ env: COMPANYFLOW_ENV });
    mock.use(...fake.handlers);
    const err = await h.selfService.leaveBalances(ASKER, {}, { now: NOW }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SelfServiceError);
    expect((err as SelfServiceError).failure).toMatchObject({ key: 'errors.cfTokenRejected', code: 'CF-401' });
  });

  it('no work email in contact → a clear failure and no token call', async () => {
    const fake = companyflowFake();
    const h = setup({ env: COMPANYFLOW_ENV });
    mock.use(
      ...fake.handlers,
      http.get(`${mock.baseUrl}/open-apis/contact/v3/users/:id`, () => HttpResponse.json({ code: 0, msg: 'success', data: { user: { open_id: ASKER } } })),
    );
    const err = await h.selfService.leaveBalances(ASKER, {}, { now: NOW }).catch((e: unknown) => e);
    expect((err as SelfServiceError).failure.key).toBe('errors.cfNoEmail');
    expect(fake.tokenCalls).toHaveLength(0);
  });
});

describe('payslip', () => {
  it('a named month → that month as pay period; employment id cached; figures never stored', async () => {
    const h = setup();
    const stored: string[] = [];
    const set = h.store.set.bind(h.store);
    h.store.set = (key, value, opts) => (stored.push(`${key}=${value}`), set(key, value, opts));
    const result = await h.selfService.payslip(ASKER, { month: '2025-01' }, { now: NOW });
    expect(result.month).toBe('2025-01');
    expect(result.payments).toHaveLength(1);
    expect(result.payments[0]!.items.map((i) => i.type)).toEqual(['amount', 'number', 'percent', 'date', 'text', 'reference', 'amount']);
    expect(result.payments[0]!.items[0]!.name).toEqual({ 'zh-CN': '基本工资', 'en-US': 'Base salary' });
    const body = mock.callsTo('/open-apis/payroll/v1/payment_detail/query')[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({ pay_period_start_date: '2025-01-01', pay_period_end_date: '2025-01-31' });
    expect(await h.store.get(h.keys.employmentId(ASKER))).toBe('7202076988667019222');

    await h.selfService.payslip(ASKER, { month: '2025-02' }, { now: NOW });
    expect(mock.callsTo('/open-apis/corehr/v1/common_data/id/convert')).toHaveLength(1);
    expect(h.log.text()).not.toMatch(/12000|9876/);
    expect(stored.join('\n')).not.toMatch(/12000|9876|payroll|payslip/);
  });

  it('no month → the latest month with data (looking back from the current month)', async () => {
    const h = setup();
    const result = await h.selfService.payslip(ASKER, {}, { now: NOW });
    expect(result.month).toBe('2025-02');
    expect(result.searched).toEqual(['2025-03', '2025-02']);
    expect(result.asked).toEqual({});
  });

  it('nothing in the lookback window → empty result naming the months searched', async () => {
    const h = setup({}, ASKER, new Set());
    const result = await h.selfService.payslip(ASKER, {}, { now: NOW });
    expect(result).toMatchObject({ month: undefined, payments: [], searched: ['2025-03', '2025-02', '2025-01'] });
  });

  it('no CoreHR record → errors.noHrRecord', async () => {
    const h = setup();
    mock.use(
      http.post(`${mock.baseUrl}/open-apis/corehr/v1/common_data/id/convert`, () => HttpResponse.json({ code: 0, msg: 'success', data: { items: [{ id: ASKER, target_id: '' }] } })),
    );
    const err = await h.selfService.payslip(ASKER, { month: '2025-01' }, { now: NOW }).catch((e: unknown) => e);
    expect((err as SelfServiceError).failure.key).toBe('errors.noHrRecord');
  });
});

describe('one-time payments', () => {
  it('all pages, newest first, issuance details and descriptions in both languages', async () => {
    const h = setup();
    const result = await h.selfService.lumpSums(ASKER, {}, { now: NOW });
    expect(result.payments.map((p) => p.id)).toEqual(['7397033607132351999', '7397033607132351532']);
    const signOn = result.payments[1]!;
    expect(signOn).toMatchObject({ totalAmount: '2000.00', itemId: '7411039006180312620', remark: '签约奖金' });
    expect(signOn.description['en-US']).toMatch(/2 installments/);
    const cny = { currencyId: '6863329932261459464', currency: 'CNY' };
    expect(signOn.issuances).toEqual([
      { amount: '1000.00', status: 'to_be_issued', way: 'with_salary', date: '2024-08-01', ...cny },
      { amount: '1000.00', status: 'to_be_issued', way: 'with_cash', date: '2024-09-01', ...cny },
    ]);
    // Reference data resolved from the currency search and the pay item list.
    expect(signOn).toMatchObject({ ...cny, itemName: { 'zh-CN': '签约奖金', 'en-US': 'Sign-on bonus' } });
    expect(result.payments[0]!.itemName).toEqual({ 'zh-CN': '留任奖金', 'en-US': 'Retention bonus' });
  });

  it('a year keeps only payments issued in that year', async () => {
    const h = setup();
    expect((await h.selfService.lumpSums(ASKER, { year: 2024 }, { now: NOW })).payments.map((p) => p.id)).toEqual(['7397033607132351532']);
    expect((await h.selfService.lumpSums(ASKER, { year: 2023 }, { now: NOW })).payments).toEqual([]);
  });
});

describe('nobody obtains another person’s data', () => {
  const forged = { openId: OTHER, open_id: OTHER, employeeId: OTHER_EMPLOYMENT_ID, user_ids: [OTHER], employment_id_list: [OTHER] };

  it('forged slot fields are ignored: every upstream call names the asker only', async () => {
    const h = setup();
    await h.selfService.leaveBalances(ASKER, { leaveType: 'annual', ...forged } as LeaveBalanceSlots, { now: NOW });
    await h.selfService.payslip(ASKER, { month: '2025-01', ...forged } as never, { now: NOW });
    await h.selfService.lumpSums(ASKER, { year: 2024, ...forged } as never, { now: NOW });
    const everything = JSON.stringify(mock.calls.map((c) => [c.path, c.query.toString(), c.body]));
    expect(everything).not.toContain(OTHER);
    expect(everything).not.toContain(OTHER_EMPLOYMENT_ID);
  });

  it('another person asking gets their own data, never the first person’s (employment id cache is per person)', async () => {
    const h = setup({}, OTHER);
    mock.use(
      http.post(`${mock.baseUrl}/open-apis/corehr/v1/common_data/id/convert`, async ({ request }) => {
        const { ids } = (await request.json()) as { ids: string[] };
        guard.check(ids[0] === OTHER, `id convert for ${ids[0]}`);
        return HttpResponse.json({ code: 0, msg: 'success', data: { items: [{ id: OTHER, target_id: OTHER_EMPLOYMENT_ID }] } });
      }),
    );
    await h.store.set(h.keys.employmentId(ASKER), '7202076988667019222');
    const result = await h.selfService.payslip(OTHER, { month: '2025-01' }, { now: NOW });
    expect(result.payments).toHaveLength(1);
    const everything = JSON.stringify(mock.calls.map((c) => [c.query.toString(), c.body]));
    expect(everything).not.toContain(ASKER);
    expect(everything).not.toContain('7202076988667019222');
  });

  it('upstream records about somebody else are dropped even if Feishu returned them', async () => {
    const h = setup();
    mock.use(
      http.post(`${mock.baseUrl}/open-apis/compensation/v1/lump_sum_payment/query`, () =>
        HttpResponse.json({ code: 0, msg: 'success', data: { has_more: false, records: [{ id: 'x', user_id: OTHER, total_amount: '1', details: [] }] } }),
      ),
    );
    expect((await h.selfService.lumpSums(ASKER, {}, { now: NOW })).payments).toEqual([]);
  });
});
