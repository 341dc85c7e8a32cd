/**
 * Test harness for employee self-service: a real Feishu client against the msw fake,
 * handlers built from the seeds' documented requests and responses, and a guard that
 * records every request that names anybody but the asker (or breaks the seed's shape).
 */
import { testConfig } from './test-config.js';
import { readFileSync } from 'node:fs';
import { http, HttpResponse, type RequestHandler } from 'msw';
import { pino } from 'pino';
import type { Config } from '../../src/config.js';
import { feishuClientFor } from '../../src/feishu/client.js';
import type { LimitOverrides } from '../../src/feishu/limits.js';
import type { FeishuApi } from '../../src/feishu/types.js';
import type { Logger } from '../../src/log.js';
import { createMetrics } from '../../src/metrics.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { storeKeys, type StoreKeys } from '../../src/store/keys.js';
import type { Store } from '../../src/store/types.js';
import { createSelfService, type SelfService } from '../../src/services/self-service.js';
import { feishuError, type FeishuMock } from './feishu-mock.js';

export const ASKER = 'ou_asker0000000000000000000000001';
export const OTHER = 'ou_other0000000000000000000000002';
export const EMPLOYMENT_ID = '7202076988667019222';
export const OTHER_EMPLOYMENT_ID = '7202076988667019999';
export const CF_BASE = 'http://companyflow.test/api';
export const CF_TOKEN_URL = 'http://auth.companyflow.test/oauth/token';
export const CF_LEAVE_TYPE = 'a1b2c3d4-e5f6-7890-abcd-ef1234567890';
/** 2025-03-15 12:00 in Asia/Shanghai, the intent contract's "today". */
export const NOW = new Date('2025-03-15T04:00:00Z');

type Json = Record<string, unknown>;

/** A fixture under test/fixtures/self-service, parsed fresh each time (tests may mutate it). */
export function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`../fixtures/self-service/${name}.json`, import.meta.url), 'utf8')) as Json;
}

/** Records seed or privacy violations seen by handlers; tests assert it stays empty. */
export interface Guard {
  /** Whose data may be asked for; everything else is a violation. */
  asker: string;
  employmentId: string;
  violations: string[];
  check(ok: boolean, what: string): boolean;
}

export function createGuard(asker = ASKER, employmentId = EMPLOYMENT_ID): Guard {
  const guard: Guard = {
    asker,
    employmentId,
    violations: [],
    check(ok, what) {
      if (!ok) guard.violations.push(what);
      return ok;
    },
  };
  return guard;
}

const denied = (what: string) => feishuError(400, 1160016, `test guard: ${what}`);
const ok = (data: unknown) => HttpResponse.json({ code: 0, msg: 'success', data });

/** Re-targets a fixture's person ids to the guard's asker. */
function forAsker<T>(value: T, guard: Guard): T {
  return JSON.parse(JSON.stringify(value).replaceAll(ASKER, guard.asker).replaceAll(EMPLOYMENT_ID, guard.employmentId)) as T;
}

export interface SeedOptions {
  /** Months (`YYYY-MM`) whose payroll query returns the payroll fixture. */
  payrollMonths?: Set<string>;
}

/**
 * Handlers for the Feishu APIs of self-service, asserting each request against its seed
 * (the two reference-data look-ups against their published pages, see `referenceHandlers`).
 */
export function seedHandlers(mock: FeishuMock, guard: Guard, opts: SeedOptions = {}): RequestHandler[] {
  const base = mock.baseUrl;
  const payrollMonths = opts.payrollMonths ?? new Set(['2025-01', '2025-02']);
  const page1 = fixture('leave-balances.page1');
  const page1Token = (page1.data as Json).page_token as string;
  const lumpPage1 = fixture('lump-sum.page1');
  const lumpToken = (lumpPage1.data as Json).page_token as string;

  return [
    http.get(`${base}/open-apis/corehr/v1/leaves/leave_balances`, ({ request }) => {
      const auth = mock.authError(request);
      if (auth) return auth;
      const q = new URL(request.url).searchParams;
      const ids = q.getAll('employment_id_list');
      const good =
        guard.check(q.get('user_id_type') === 'open_id', 'leave_balances: user_id_type must be open_id') &&
        guard.check(/^\d+$/.test(q.get('page_size') ?? ''), 'leave_balances: page_size missing') &&
        guard.check(ids.length === 1 && ids[0] === guard.asker, `leave_balances: employment_id_list ${ids.join(',')}`);
      if (!good) return denied('leave_balances request');
      const token = q.get('page_token');
      if (!token) return HttpResponse.json(forAsker(page1, guard));
      guard.check(token === page1Token, 'leave_balances: unexpected page_token');
      return HttpResponse.json(forAsker(fixture('leave-balances.page2'), guard));
    }),
    http.get(`${base}/open-apis/corehr/v1/leaves/leave_types`, ({ request }) => {
      const auth = mock.authError(request);
      if (auth) return auth;
      const q = new URL(request.url).searchParams;
      guard.check(/^\d+$/.test(q.get('page_size') ?? ''), 'leave_types: page_size missing');
      return HttpResponse.json(fixture('leave-types'));
    }),
    http.post(`${base}/open-apis/corehr/v1/common_data/id/convert`, async ({ request }) => {
      const auth = mock.authError(request);
      if (auth) return auth;
      const q = new URL(request.url).searchParams;
      const body = (await request.json()) as { ids?: string[] };
      const good =
        guard.check(q.get('id_transform_type') === '2', 'id convert: id_transform_type must be 2') &&
        guard.check(q.get('id_type') === 'user_id', 'id convert: id_type must be user_id') &&
        guard.check(q.get('feishu_user_id_type') === 'open_id', 'id convert: feishu_user_id_type must be open_id') &&
        guard.check(body.ids?.length === 1 && body.ids[0] === guard.asker, `id convert: ids ${String(body.ids)}`);
      if (!good) return denied('id convert request');
      return HttpResponse.json(forAsker(fixture('id-convert'), guard));
    }),
    http.post(`${base}/open-apis/payroll/v1/payment_detail/query`, async ({ request }) => {
      const auth = mock.authError(request);
      if (auth) return auth;
      const body = (await request.json()) as Json;
      if (!checkPayrollBody(body, guard)) return denied('payroll request');
      const month = String(body.pay_period_start_date).slice(0, 7);
      if (!payrollMonths.has(month) || body.page_index !== 1) return ok({ payment_details: [], total: 0 });
      return HttpResponse.json(forAsker(fixture('payroll'), guard));
    }),
    http.post(`${base}/open-apis/compensation/v1/lump_sum_payment/query`, async ({ request }) => {
      const auth = mock.authError(request);
      if (auth) return auth;
      const q = new URL(request.url).searchParams;
      const body = (await request.json()) as { user_ids?: string[] };
      const good =
        guard.check(q.get('user_id_type') === 'open_id', 'lump sum: user_id_type must be open_id') &&
        guard.check(/^\d+$/.test(q.get('page_size') ?? '') && Number(q.get('page_size')) <= 500, 'lump sum: page_size') &&
        guard.check(body.user_ids?.length === 1 && body.user_ids[0] === guard.asker, `lump sum: user_ids ${String(body.user_ids)}`);
      if (!good) return denied('lump sum request');
      const token = q.get('page_token');
      if (!token) return HttpResponse.json(forAsker(lumpPage1, guard));
      guard.check(token === lumpToken, 'lump sum: unexpected page_token');
      return HttpResponse.json(forAsker(fixture('lump-sum.page2'), guard));
    }),
    ...referenceHandlers(mock, guard),
    http.get(`${base}/open-apis/contact/v3/users/:userId`, ({ request, params }) => {
      const auth = mock.authError(request);
      if (auth) return auth;
      const q = new URL(request.url).searchParams;
      const good =
        guard.check(q.get('user_id_type') === 'open_id', 'contact: user_id_type must be open_id') &&
        guard.check(params.userId === guard.asker, `contact: user ${String(params.userId)}`);
      if (!good) return denied('contact request');
      return HttpResponse.json(forAsker(fixture('contact-user'), guard));
    }),
  ];
}

/**
 * Currency search (`corehr/v2/basic_info/currencies/search`) and the compensation pay item
 * list (`compensation/v1/items`), built from Feishu's published pages (not in the seeds):
 * currencies are filtered by `currency_id_list` (≤ 100) and by `status_list` (default
 * active only, as documented); items are listed whole (page_size 1–500).
 */
export function referenceHandlers(mock: FeishuMock, guard: Guard): RequestHandler[] {
  const base = mock.baseUrl;
  return [
    http.post(`${base}/open-apis/corehr/v2/basic_info/currencies/search`, async ({ request }) => {
      const auth = mock.authError(request);
      if (auth) return auth;
      const q = new URL(request.url).searchParams;
      const body = (await request.json()) as { currency_id_list?: string[]; status_list?: number[] };
      const ids = body.currency_id_list ?? [];
      const good =
        guard.check(/^\d+$/.test(q.get('page_size') ?? '') && Number(q.get('page_size')) <= 100, 'currencies: page_size 1–100') &&
        guard.check(ids.length >= 1 && ids.length <= 100, `currencies: ${ids.length} ids (1–100)`) &&
        guard.check((body.status_list ?? [1]).every((st) => st === 0 || st === 1), 'currencies: status_list of 0/1');
      if (!good) return denied('currency search request');
      const statuses = new Set(body.status_list ?? [1]);
      const all = fixture('currencies');
      const items = ((all.data as Json).items as Array<{ currency_id: string; status: number }>).filter(
        (c) => ids.includes(c.currency_id) && statuses.has(c.status),
      );
      return ok({ items, has_more: false });
    }),
    http.get(`${base}/open-apis/compensation/v1/items`, ({ request }) => {
      const auth = mock.authError(request);
      if (auth) return auth;
      const size = Number(new URL(request.url).searchParams.get('page_size'));
      if (!guard.check(Number.isInteger(size) && size >= 1 && size <= 500, 'compensation items: page_size 1–500')) return denied('items request');
      return HttpResponse.json(fixture('compensation-items'));
    }),
  ];
}

function checkPayrollBody(body: Json, guard: Guard): boolean {
  const ids = body.employee_ids as string[] | undefined;
  const start = String(body.pay_period_start_date ?? '');
  const end = String(body.pay_period_end_date ?? '');
  const months = (Number(end.slice(0, 4)) - Number(start.slice(0, 4))) * 12 + Number(end.slice(5, 7)) - Number(start.slice(5, 7));
  return (
    guard.check(Number.isInteger(body.page_index) && (body.page_index as number) >= 1, 'payroll: page_index from 1') &&
    guard.check(Number.isInteger(body.page_size) && (body.page_size as number) >= 1 && (body.page_size as number) <= 100, 'payroll: page_size 1–100') &&
    guard.check(ids?.length === 1 && ids[0] === guard.employmentId, `payroll: employee_ids ${String(ids)}`) &&
    guard.check(/^\d{4}-\d{2}-\d{2}$/.test(start) && /^\d{4}-\d{2}-\d{2}$/.test(end) && start <= end, 'payroll: pay period dates') &&
    guard.check(months <= 12, 'payroll: pay period longer than 12 months')
  );
}

/** Every log line written through the captured logger, as raw JSON text. */
export interface CapturedLogger {
  logger: Logger;
  lines: string[];
  text(): string;
}

export function captureLogger(): CapturedLogger {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return { logger, lines, text: () => lines.join('') };
}

export interface SelfServiceHarness {
  config: Config;
  store: Store;
  keys: StoreKeys;
  selfService: SelfService;
  feishu: FeishuApi;
  log: CapturedLogger;
}

/** A self-service on a fresh app id (memory store unless given), with fast retries. */
export function makeSelfService(
  mock: FeishuMock,
  opts: { env?: Record<string, string>; store?: Store; appId?: string; limits?: LimitOverrides } = {},
): SelfServiceHarness {
  const config = testConfig({ FEISHU_BASE_URL: mock.baseUrl, ...(opts.appId ? { FEISHU_APP_ID: opts.appId } : {}), ...opts.env });
  const store = opts.store ?? createMemoryStore();
  const keys = storeKeys(config.feishu.appId);
  const log = captureLogger();
  const metrics = createMetrics();
  const client = feishuClientFor(config, {
    store,
    logger: log.logger,
    metrics,
    retry: { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 10 },
    ...(opts.limits ? { limits: opts.limits } : {}),
  });
  const selfService = createSelfService({ config, store, keys, feishu: client.api, logger: log.logger, metrics });
  return { config, store, keys, selfService, feishu: client.api, log };
}

/** Environment for LEAVE_PROVIDER=companyflow against the fake CompanyFlow. */
export const COMPANYFLOW_ENV: Record<string, string> = {
  LEAVE_PROVIDER: 'companyflow',
  COMPANYFLOW_BASE_URL: CF_BASE,
  COMPANYFLOW_TOKEN_URL: CF_TOKEN_URL,
  COMPANYFLOW_CLIENT_ID: 'hrbot',
  COMPANYFLOW_CLIENT_SECRET: 'cf-secret',
  COMPANYFLOW_LEAVE_TYPE_IDS: CF_LEAVE_TYPE,
};

export interface CompanyflowFake {
  handlers: RequestHandler[];
  tokenCalls: URLSearchParams[];
  balanceCalls: Array<{ leaveTypeId: string; year: string | null; authorization: string | null }>;
  /** Status the token endpoint answers with (200 = issue a token). */
  tokenStatus: number;
  /** Statuses the balance endpoint answers with, consumed in order; then 200. */
  balanceStatuses: number[];
}

/** A fake CompanyFlow: token exchange (seed contract) and `GET /leave-balance/{id}?year=` (seed 004). */
export function companyflowFake(): CompanyflowFake {
  let issued = 0;
  const fake: CompanyflowFake = {
    tokenCalls: [],
    balanceCalls: [],
    tokenStatus: 200,
    balanceStatuses: [],
    handlers: [
      http.post(CF_TOKEN_URL, async ({ request }) => {
        const form = new URLSearchParams(await request.text());
        fake.tokenCalls.push(form);
        if (fake.tokenStatus !== 200) return HttpResponse.json({ error: 'invalid_grant' }, { status: fake.tokenStatus });
        issued += 1;
        return HttpResponse.json({ ...fixture('companyflow-token'), access_token: `cf-employee-token-${issued}` });
      }),
      http.get(`${CF_BASE}/leave-balance/:leaveTypeId`, ({ request, params }) => {
        const url = new URL(request.url);
        fake.balanceCalls.push({
          leaveTypeId: String(params.leaveTypeId),
          year: url.searchParams.get('year'),
          authorization: request.headers.get('authorization'),
        });
        const status = fake.balanceStatuses.shift() ?? 200;
        if (status !== 200) return HttpResponse.json({ success: false, message: 'error' }, { status });
        if (!request.headers.get('authorization')?.startsWith('Bearer cf-employee-token-')) {
          return HttpResponse.json({ success: false, message: 'unauthorized' }, { status: 401 });
        }
        return HttpResponse.json(fixture('companyflow-balance'));
      }),
    ],
  };
  return fake;
}
