import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { installFeishuMock } from '../support/feishu-mock.js';
import { ASKER, NOW, createGuard, makeSelfService, seedHandlers } from '../support/self-service.js';
import { FEISHU_ERROR_KEYS, SelfServiceError, failureOf, type Failure } from '../../src/services/errors.js';
import { FeishuApiError, RateLimitTimeoutError, type FeishuApiName } from '../../src/feishu/types.js';
import { CompanyflowError, type CompanyflowFailure } from '../../src/providers/companyflow/http.js';
import { createI18n } from '../../src/i18n.js';

interface DocumentedCode {
  api: FeishuApiName;
  httpStatus: number;
  code: number;
  description: string;
}

/** Every error code of the four seeds' tables (000, 001, 002, 003). */
const DOCUMENTED: DocumentedCode[] = JSON.parse(
  readFileSync(new URL('../fixtures/self-service/error-codes.json', import.meta.url), 'utf8'),
) as DocumentedCode[];
const GENERIC_CODES = [99991400, 99991401, 99991403, 99991661, 99991663, 99991664, 99991665, 99991668, 99991671, 99991672, 99991677];

const i18n = createI18n();
const mock = installFeishuMock();

function expectTranslated(key: string) {
  for (const locale of ['zh-CN', 'en-US'] as const) {
    const text = i18n.t(locale)(key);
    expect(text, `${key} in ${locale}`).not.toBe(key);
    expect(text.length).toBeGreaterThan(5);
  }
}

describe('error mapping table', () => {
  it.each(DOCUMENTED)('$api $code ($description) has its own message in both languages', ({ code }) => {
    const key = FEISHU_ERROR_KEYS.get(code);
    expect(key).toBeDefined();
    expect(key).not.toBe('errors.generic');
    expectTranslated(key!);
  });

  it.each(GENERIC_CODES)('platform code %i has a message in both languages', (code) => {
    expectTranslated(FEISHU_ERROR_KEYS.get(code)!);
  });

  it.each(['no_email', 'token_missing', 'token_rejected', 'forbidden', 'not_found', 'unavailable', 'bad_response', 'not_configured'] as CompanyflowFailure[])(
    'CompanyFlow %s has a message and a short code',
    (reason) => {
      const failure = failureOf(new CompanyflowError(reason, reason === 'token_rejected' ? 401 : undefined));
      expectTranslated(failure.key);
      expect(failure.code).toMatch(/^CF-/);
    },
  );

  it('the issue’s examples read as promised', () => {
    const en = i18n.t('en-US');
    expect(en(failureOf(new FeishuApiError('corehr.leaveBalances', 1160006, 'Employment not found', 400)).key)).toMatch(/no HR record found for you — please contact HR/i);
    expect(en(failureOf(new FeishuApiError('payroll.paymentDetail', 2500004, 'too long', 400)).key)).toMatch(/the pay period is too long/i);
  });

  it('unknown codes, bare 5xx, network failures and limiter timeouts', () => {
    expect(failureOf(new FeishuApiError('corehr.idConvert', 1234567, 'new', 400))).toEqual({ key: 'errors.generic', code: '1234567', retryable: false });
    expect(failureOf(new FeishuApiError('payroll.paymentDetail', 0, 'HTTP 502', 502))).toMatchObject({ key: 'errors.upstream', retryable: true });
    expect(failureOf(new FeishuApiError('payroll.paymentDetail', 0, 'network error'))).toMatchObject({ key: 'errors.upstream' });
    expect(failureOf(new RateLimitTimeoutError('payroll.paymentDetail', 60_000))).toMatchObject({ key: 'errors.busy', retryable: true });
    expect(failureOf(new TypeError('bug'))).toEqual({ key: 'errors.generic', retryable: true });
  });
});

type Ask = 'leaveBalances' | 'payslip' | 'lumpSums';
const ROUTES: Partial<Record<FeishuApiName, { ask: Ask; method: 'get' | 'post'; path: string }>> = {
  'corehr.leaveBalances': { ask: 'leaveBalances', method: 'get', path: '/open-apis/corehr/v1/leaves/leave_balances' },
  'payroll.paymentDetail': { ask: 'payslip', method: 'post', path: '/open-apis/payroll/v1/payment_detail/query' },
  'compensation.lumpSum': { ask: 'lumpSums', method: 'post', path: '/open-apis/compensation/v1/lump_sum_payment/query' },
};

async function failureFromUpstream(api: FeishuApiName, status: number, code: number, msg = 'upstream says no') {
  const route = ROUTES[api]!;
  const guard = createGuard();
  // Handlers added first win: the failing answer, then the seed's defaults.
  mock.use(http[route.method](`${mock.baseUrl}${route.path}`, () => HttpResponse.json({ code, msg }, { status })), ...seedHandlers(mock, guard));
  const h = makeSelfService(mock);
  const err = await h.selfService[route.ask](ASKER, { month: '2025-01' }, { now: NOW }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SelfServiceError);
  return { failure: (err as SelfServiceError).failure, log: h.log };
}

describe('every documented code, end to end through the Feishu client', () => {
  const reachable = DOCUMENTED.filter((d) => ROUTES[d.api]);

  it.each(reachable)('$api answers HTTP $httpStatus / $code → its message, code shown', async ({ api, httpStatus, code }) => {
    const { failure } = await failureFromUpstream(api, httpStatus, code);
    expect(failure).toMatchObject<Partial<Failure>>({ key: FEISHU_ERROR_KEYS.get(code)!, code: String(code) });
  });

  it('99991672 names the missing scope in the log', async () => {
    const { failure, log } = await failureFromUpstream('payroll.paymentDetail', 400, 99991672, 'Access denied. One of the following scopes is required: [payroll:payment_details:read]');
    expect(failure.key).toBe('errors.permission');
    const line = log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.missingScope);
    expect(line).toMatchObject({ op: 'payslip', api: 'payroll.paymentDetail', missingScope: 'payroll:payment_details:read' });
  });

  it('99991400 after bounded retries → "try again in a minute", never silence', async () => {
    const { failure } = await failureFromUpstream('compensation.lumpSum', 429, 99991400, 'request trigger frequency limit');
    expect(failure).toMatchObject({ key: 'errors.rateLimited', retryable: true });
  });
});
