/**
 * Thirty people ask for their payslips at the same moment, served by two bot
 * instances that share one Redis: the payroll API (1/s per app) is never called
 * faster than once per second, and everyone still gets their own payslip.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { installFeishuMock, testAppId } from '../support/feishu-mock.js';
import { NOW, fixture, makeSelfService } from '../support/self-service.js';
import { createRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { perSecond } from '../../src/feishu/limits.js';
import { runInJob } from '../../src/jobs/context.js';

const mock = installFeishuMock();
const stores: Store[] = [];
afterAll(async () => Promise.all(stores.map((s) => s.close())));

const PEOPLE = Array.from({ length: 30 }, (_, i) => ({ openId: `ou_person${String(i).padStart(3, '0')}`, employmentId: `72020769886670${String(i).padStart(5, '0')}` }));
const employmentOf = new Map(PEOPLE.map((p) => [p.openId, p.employmentId]));

function handlers() {
  const detail = (fixture('payroll').data as { payment_details: Array<Record<string, unknown>> }).payment_details[0]!;
  return [
    http.post(`${mock.baseUrl}/open-apis/corehr/v1/common_data/id/convert`, async ({ request }) => {
      const denied = mock.authError(request);
      if (denied) return denied;
      const { ids } = (await request.json()) as { ids: string[] };
      return HttpResponse.json({ code: 0, msg: 'success', data: { items: ids.map((id) => ({ id, target_id: employmentOf.get(id) })) } });
    }),
    http.post(`${mock.baseUrl}/open-apis/payroll/v1/payment_detail/query`, async ({ request }) => {
      const denied = mock.authError(request);
      if (denied) return denied;
      const { employee_ids } = (await request.json()) as { employee_ids: string[] };
      const employeeId = employee_ids[0]!;
      return HttpResponse.json({ code: 0, msg: 'success', data: { payment_details: [{ ...detail, employee_id: employeeId }], total: 1 } });
    }),
  ];
}

describe('payroll rate limit across instances', () => {
  it('30 simultaneous asks on two instances with one Redis: payroll calls ≥ ~1 s apart, all answered', { timeout: 60_000 }, async () => {
    const url = process.env.TEST_REDIS_URL;
    expect(url, 'TEST_REDIS_URL (set by the global setup)').toBeTruthy();
    mock.use(...handlers());
    const appId = testAppId();
    const instances = [0, 1].map(() => {
      const store = createRedisStore(url!);
      stores.push(store);
      return makeSelfService(mock, { appId, store });
    });

    const results = await Promise.all(
      PEOPLE.map((p, i) => instances[i % 2]!.selfService.payslip(p.openId, { month: '2025-01' }, { now: NOW })),
    );

    expect(results.every((r) => r.payments.length === 1 && r.payments[0]!.items.length === 7)).toBe(true);
    const calls = mock.callsTo('/open-apis/payroll/v1/payment_detail/query');
    expect(calls).toHaveLength(30);
    // Each person got a query for their own employment id, exactly once.
    expect(new Set(calls.map((c) => (c.body as { employee_ids: string[] }).employee_ids[0]))).toEqual(new Set(employmentOf.values()));
    const times = calls.map((c) => c.at).sort((a, b) => a - b);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // Feishu's side must never see two calls within one second (the limiter keeps a margin: one call per 1.15 s).
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
  });
});

describe('fair turns on payroll', () => {
  it("one person's 30 asks delay another person's by at most two slots; identical asks share one call", { timeout: 60_000 }, async () => {
    const url = process.env.TEST_REDIS_URL!;
    mock.use(...handlers());
    const store = createRedisStore(url);
    stores.push(store);
    // 5/s rather than 1/s so the test is quicker; slots stay far apart from scheduling jitter. The turn order is what is checked.
    const { selfService } = makeSelfService(mock, { appId: testAppId(), store, limits: { 'payroll.paymentDetail': [perSecond(5)] } });
    const [busy, other] = [PEOPLE[0]!, PEOPLE[1]!];
    const months = Array.from({ length: 30 }, (_, i) => `20${23 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
    const burst = months.map((month) => runInJob({ person: busy.openId }, () => selfService.payslip(busy.openId, { month }, { now: NOW })));
    const queryPath = '/open-apis/payroll/v1/payment_detail/query';
    while (mock.callsTo(queryPath).length < 3) await new Promise((r) => setTimeout(r, 5));
    const before = mock.callsTo(queryPath).length;
    await runInJob({ person: other.openId }, () => selfService.payslip(other.openId, { month: '2025-01' }, { now: NOW }));
    const order = mock.callsTo(queryPath).map((c) => (c.body as { employee_ids: string[] }).employee_ids[0]);
    const otherAt = order.indexOf(other.employmentId);
    // Served in turn: at most the busy person's call in progress and one more before it.
    expect(otherAt).toBeGreaterThanOrEqual(before);
    expect(otherAt - before).toBeLessThanOrEqual(2);
    await Promise.all(burst);
    expect(mock.callsTo(queryPath)).toHaveLength(31);

    // Thirty identical asks (same person, same month) at once: one upstream call.
    const same = await Promise.all(
      Array.from({ length: 30 }, () => runInJob({ person: other.openId }, () => selfService.payslip(other.openId, { month: '2025-02' }, { now: NOW }))),
    );
    expect(same.every((r) => r.payments.length === 1)).toBe(true);
    expect(mock.callsTo(queryPath)).toHaveLength(32);
  });
});
