/**
 * A fake of the Feishu grant-record APIs for the accrual-edit flow, built from seed 001's
 * shapes: leave types, the employee's grant records (GET with a JSON body) and the PATCH.
 */
import { readFileSync } from 'node:fs';
import { http, HttpResponse } from 'msw';
import type { FeishuMock } from './feishu-mock.js';
import { feishuError } from './feishu-mock.js';

export const REQUESTER = 'ou_requester';
export const APPROVER_1 = 'ou_approver1';
export const APPROVER_2 = 'ou_approver2';
/** Both a requester and an approver. */
export const BOTH = 'ou_both';
export const EMPLOYEE = 'ou_employee';
export const OUTSIDER = 'ou_outsider';
export const ANNUAL = '7002';
export const RECORD_ID = '6893014062142064135';
export const SYSTEM_RECORD_ID = '6893014062142064136';
export const OTHER_RECORD_ID = '6893014062142064137';

export const HR_ENV = {
  HR_REQUESTERS: `${REQUESTER},${BOTH}`,
  HR_APPROVERS: `${APPROVER_1},${APPROVER_2},${BOTH}`,
};

const leaveTypes: unknown = JSON.parse(readFileSync(new URL('../fixtures/self-service/leave-types.json', import.meta.url), 'utf8'));

export interface GrantFake {
  /** Bodies of every PATCH that reached Feishu, with the path's leave id and the query. */
  patches: Array<{ leaveId: string; query: URLSearchParams; body: Record<string, unknown> }>;
  lookups: Array<{ leaveId: string; query: URLSearchParams }>;
  /** Answers for the next PATCHes (`ok`, or a code with its HTTP status); then `ok`. */
  failNext(...codes: Array<{ code: number; status: number }>): void;
  /** The records GET fails (e.g. a missing scope) until `lookupWorks()`. */
  lookupFails(): void;
}

/**
 * A record as the expire-records GET documents `data.records[]` (see ExpireRecord in
 * src/providers/feishu/grant-records.ts): `accrual_source` 1 = granted by the system.
 */
function record(id: string, owner: string, source: number) {
  return {
    id,
    employment_id: owner,
    leave_type_id: ANNUAL,
    granting_quantity: '3',
    left_granting_quantity: '3',
    granting_unit: 1,
    effective_date: '2026-01-01',
    expiration_date: '2026-12-31',
    reason: [{ lang: 'zh_CN', value: '年度发放' }],
    is_update_by_external: false,
    accrual_source: source,
    leave_sub_type_id: ANNUAL,
    section_type: 1,
  };
}

/** Installs the handlers on `mock`; call in each test (mock.reset() drops them). */
export function installGrantFake(mock: FeishuMock): GrantFake {
  const fake: GrantFake & { failures: Array<{ code: number; status: number }>; broken: boolean } = {
    patches: [],
    lookups: [],
    failures: [],
    broken: false,
    failNext: (...codes) => fake.failures.push(...codes),
    lookupFails: () => {
      fake.broken = true;
    },
  };
  mock.use(
    http.get(`${mock.baseUrl}/open-apis/corehr/v1/leaves/leave_types`, ({ request }) => mock.authError(request) ?? HttpResponse.json(leaveTypes as Record<string, unknown>)),
    http.get(`${mock.baseUrl}/open-apis/attendance/v1/leave_employ_expire_records/:leaveId`, async ({ request, params }) => {
      const denied = mock.authError(request);
      if (denied) return denied;
      // msw sees no body on a GET (Fetch forbids one); the body itself is checked against a
      // real HTTP server in grant-records.test.ts. Each record says whose it is.
      fake.lookups.push({ leaveId: String(params.leaveId), query: new URL(request.url).searchParams });
      if (fake.broken) return feishuError(400, 99991672, 'Access denied. One of the following scopes is required: [attendance:rule]');
      const records = [record(RECORD_ID, EMPLOYEE, 2), record(SYSTEM_RECORD_ID, EMPLOYEE, 1), record(OTHER_RECORD_ID, 'ou_someone_else', 2)];
      return HttpResponse.json({ code: 0, msg: 'success', data: { records } });
    }),
    http.patch(`${mock.baseUrl}/open-apis/attendance/v1/leave_accrual_record/:leaveId`, async ({ request, params }) => {
      const denied = mock.authError(request);
      if (denied) return denied;
      const url = new URL(request.url);
      const body = (await request.clone().json()) as Record<string, unknown>;
      fake.patches.push({ leaveId: String(params.leaveId), query: url.searchParams, body });
      const failure = fake.failures.shift();
      if (failure) return feishuError(failure.status, failure.code, 'refused');
      return HttpResponse.json({
        code: 0,
        msg: 'success',
        data: { record: { id: body.leave_granting_record_id, employment_id: body.employment_id, leave_type_id: body.leave_type_id, granting_quantity: body.quantity ?? '3', granting_unit: 1, effective_date: '2026-01-01', expiration_date: body.expiration_date ?? '2026-12-31', granted_by: 2, reason: body.reason } },
      });
    }),
  );
  return fake;
}
