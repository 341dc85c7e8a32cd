import { describe, expect, it, afterEach } from 'vitest';
import { http, HttpResponse } from 'msw';
import { installFeishuMock } from '../support/feishu-mock.js';
import { ASKER, EMPLOYMENT_ID, createGuard, fixture, makeSelfService, seedHandlers, type Guard } from '../support/self-service.js';
import { fetchLeaveBalances } from '../../src/providers/feishu/leave-balances.js';
import { fetchLeaveTypes } from '../../src/providers/feishu/leave-types.js';
import { convertOpenIdToEmploymentId } from '../../src/providers/feishu/id-convert.js';
import { fetchPaymentDetails } from '../../src/providers/feishu/payroll.js';
import { fetchLumpSums } from '../../src/providers/feishu/lump-sum.js';
import { fetchWorkEmail } from '../../src/providers/feishu/contact.js';

const mock = installFeishuMock();
let guard: Guard;

function setup() {
  guard = createGuard();
  mock.use(...seedHandlers(mock, guard));
  return makeSelfService(mock);
}

afterEach(() => expect(guard.violations).toEqual([]));

describe('Feishu providers follow the seeds', () => {
  it('leave balances: open_id, the asker only, page_size as string, as_of_date, time zone, every page', async () => {
    const { feishu } = setup();
    const records = await fetchLeaveBalances(feishu, { openId: ASKER, asOfDate: '2025-06-30', timeZone: 'Asia/Shanghai' });
    expect(records.flatMap((r) => r.leave_balance_list.map((b) => b.leave_type_id))).toEqual(['7001', '7002', '7003']);
    const calls = mock.callsTo('/open-apis/corehr/v1/leaves/leave_balances');
    expect(calls).toHaveLength(2);
    expect(calls[0]!.query.get('as_of_date')).toBe('2025-06-30');
    expect(calls[0]!.query.get('time_zone')).toBe('Asia/Shanghai');
    expect(calls[0]!.query.has('page_token')).toBe(false);
    expect(calls[1]!.query.get('page_token')).toBe((fixture('leave-balances.page1').data as { page_token: string }).page_token);
  });

  it('leave balances: drops any record that is not the asker', async () => {
    const { feishu } = setup();
    const page = fixture('leave-balances.page2');
    const list = (page.data as { employment_leave_balance_list: Array<{ employment_id: string }> }).employment_leave_balance_list;
    list.push({ ...list[0]!, employment_id: 'ou_somebody_else' });
    mock.use(http.get(`${mock.baseUrl}/open-apis/corehr/v1/leaves/leave_balances`, () => HttpResponse.json(page)));
    const records = await fetchLeaveBalances(feishu, { openId: ASKER, timeZone: 'Asia/Shanghai' });
    expect(records.map((r) => r.employment_id)).toEqual([ASKER]);
  });

  it('leave types: flattens sub-types', async () => {
    const { feishu } = setup();
    const types = await fetchLeaveTypes(feishu);
    expect(types.map((t) => t.id)).toEqual(['7002', '7010', '7011']);
  });

  it('id convert: POST with the contract query and {ids:[open_id]}', async () => {
    const { feishu } = setup();
    expect(await convertOpenIdToEmploymentId(feishu, ASKER)).toBe(EMPLOYMENT_ID);
    const [call] = mock.callsTo('/open-apis/corehr/v1/common_data/id/convert');
    expect(call!.body).toEqual({ ids: [ASKER] });
  });

  it('payroll: page_index from 1, page_size ≤ 100, employee_ids, period; follows pages by total', async () => {
    const { feishu } = setup();
    const full = fixture('payroll');
    const detail = (full.data as { payment_details: unknown[] }).payment_details[0];
    mock.use(
      http.post(`${mock.baseUrl}/open-apis/payroll/v1/payment_detail/query`, async ({ request }) => {
        const body = (await request.json()) as { page_index: number; page_size: number };
        const count = body.page_index === 1 ? body.page_size : 1;
        return HttpResponse.json({ code: 0, msg: 'success', data: { payment_details: Array(count).fill(detail), total: body.page_size + 1 } });
      }),
    );
    const details = await fetchPaymentDetails(feishu, EMPLOYMENT_ID, { start: '2025-01-01', end: '2025-01-31' });
    expect(details).toHaveLength(101);
    const bodies = mock.callsTo('/open-apis/payroll/v1/payment_detail/query').map((c) => c.body);
    expect(bodies).toEqual([1, 2].map((page_index) => ({
      page_index,
      page_size: 100,
      employee_ids: [EMPLOYMENT_ID],
      pay_period_start_date: '2025-01-01',
      pay_period_end_date: '2025-01-31',
    })));
  });

  it('lump sum: ?user_id_type=open_id&page_size, body {user_ids:[open_id]}, pages by page_token', async () => {
    const { feishu } = setup();
    const records = await fetchLumpSums(feishu, ASKER);
    expect(records.map((r) => r.id)).toEqual(['7397033607132351532', '7397033607132351999']);
    const calls = mock.callsTo('/open-apis/compensation/v1/lump_sum_payment/query');
    expect(calls.map((c) => c.body)).toEqual([{ user_ids: [ASKER] }, { user_ids: [ASKER] }]);
    expect(calls[1]!.query.get('page_token')).toBeTruthy();
  });

  it('contact: the enterprise email of the asker', async () => {
    const { feishu } = setup();
    expect(await fetchWorkEmail(feishu, ASKER)).toBe('zhang.san@example.com');
  });
});
