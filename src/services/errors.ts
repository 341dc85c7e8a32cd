import { scopeHint } from '../feishu/apis.js';
import { FeishuApiError, RateLimitTimeoutError } from '../feishu/types.js';
import type { Logger } from '../log.js';
import { CompanyflowError, type CompanyflowFailure } from '../providers/companyflow/http.js';

/**
 * What went wrong, for a person: an i18n key (under `errors.`), the upstream code to
 * show small for HR support, and whether trying again later may help.
 */
export interface Failure {
  key: string;
  code?: string;
  retryable: boolean;
}

/** An expected failure of a self-service ask, already translated into a Failure. */
export class SelfServiceError extends Error {
  constructor(
    readonly failure: Failure,
    options?: { cause?: unknown },
  ) {
    super(`self-service failed: ${failure.key}${failure.code ? ` (${failure.code})` : ''}`, options);
    this.name = 'SelfServiceError';
  }
}

const each = (codes: number[], key: string): Array<[number, string]> => codes.map((c) => [c, key]);

/**
 * CoreHR leave codes (seed 000, 116xxxx) and the matching attendance accrual codes
 * (seed 001, 122xxxx) share their last four digits, so one table serves both.
 */
const LEAVE_SUFFIX_KEYS: Array<[number, string]> = [
  ...each([1, 2, 3, 4, 10, 16, 25, 26, 27, 30, 31, 32, 33, 34], 'errors.invalidRequest'),
  ...each([5, 7, 8, 9, 18, 20, 21, 22, 24, 28, 29], 'errors.leavePlanSetup'),
  ...each([6, 17], 'errors.noHrRecord'),
  ...each([13, 14, 19, 23], 'errors.leaveCalculation'),
  ...each([11, 12, 15, 9999], 'errors.upstream'),
  [35, 'errors.noAccess'],
];

/** Every documented business code of the APIs behind self-service → message key. */
export const FEISHU_ERROR_KEYS: ReadonlyMap<number, string> = new Map<number, string>([
  ...LEAVE_SUFFIX_KEYS.map(([suffix, key]): [number, string] => [1160000 + suffix, key]),
  ...LEAVE_SUFFIX_KEYS.filter(([suffix]) => suffix !== 33 && suffix !== 34 && suffix !== 35).map(
    ([suffix, key]): [number, string] => [1220000 + suffix, key],
  ),
  [1220600, 'errors.invalidRequest'],
  // Payroll payment_detail (seed 002).
  [2500001, 'errors.upstream'],
  [2500002, 'errors.invalidRequest'],
  [2500003, 'errors.tooManyPayRuns'],
  [2500004, 'errors.payPeriodTooLong'],
  [2500005, 'errors.invalidRequest'],
  [2500006, 'errors.invalidRequest'],
  [2500007, 'errors.upstream'],
  [2500008, 'errors.tooManyPayRuns'],
  // Compensation lump sum (seed 003).
  [2290001, 'errors.invalidRequest'],
  [2290002, 'errors.upstream'],
  // Platform-wide codes (reference §6).
  [99991400, 'errors.rateLimited'],
  [99991401, 'errors.appConfig'],
  [99991403, 'errors.quota'],
  [99991661, 'errors.appAuth'],
  [99991663, 'errors.appAuth'],
  [99991664, 'errors.appAuth'],
  [99991665, 'errors.appConfig'],
  [99991668, 'errors.appAuth'],
  [99991671, 'errors.appConfig'],
  [99991672, 'errors.permission'],
  [99991677, 'errors.appAuth'],
]);

/** CompanyFlow failure → message key and the short code shown to HR support. */
export const COMPANYFLOW_ERROR_KEYS: Readonly<Record<CompanyflowFailure, string>> = {
  no_email: 'errors.cfNoEmail',
  token_missing: 'errors.cfNoToken',
  token_rejected: 'errors.cfTokenRejected',
  forbidden: 'errors.cfTokenRejected',
  not_found: 'errors.cfUnavailable',
  unavailable: 'errors.cfUnavailable',
  bad_response: 'errors.cfUnavailable',
  not_configured: 'errors.cfNotConfigured',
};

const RETRYABLE_KEYS = new Set(['errors.upstream', 'errors.rateLimited', 'errors.busy', 'errors.cfUnavailable', 'errors.leaveCalculation']);

/**
 * Any error of a self-service ask → a Failure a person understands.
 *
 * @example
 * failureOf(new FeishuApiError('payroll.paymentDetail', 2500004, 'too long', 400))
 * // { key: 'errors.payPeriodTooLong', code: '2500004', retryable: false }
 */
export function failureOf(err: unknown): Failure {
  if (err instanceof SelfServiceError) return err.failure;
  if (err instanceof RateLimitTimeoutError) return { key: 'errors.busy', retryable: true };
  if (err instanceof CompanyflowError) {
    const key = COMPANYFLOW_ERROR_KEYS[err.reason];
    const code = `CF-${err.httpStatus ?? err.reason}`;
    return { key, code, retryable: RETRYABLE_KEYS.has(key) };
  }
  if (err instanceof FeishuApiError) return feishuFailure(err);
  return { key: 'errors.generic', retryable: true };
}

function feishuFailure(err: FeishuApiError): Failure {
  const mapped = FEISHU_ERROR_KEYS.get(err.code);
  if (mapped) return { key: mapped, code: String(err.code), retryable: RETRYABLE_KEYS.has(mapped) };
  if (err.code === 0 && err.transient) {
    return { key: 'errors.upstream', ...(err.httpStatus ? { code: `HTTP ${err.httpStatus}` } : {}), retryable: true };
  }
  return { key: 'errors.generic', code: err.code ? String(err.code) : `HTTP ${err.httpStatus ?? '?'}`, retryable: err.transient };
}

/**
 * Logs a failed ask with ids and codes only (never figures, tokens or emails). For a
 * missing permission (99991672) it names the scope to grant.
 *
 * @example
 * logFailure(logger, 'payslip', err, failureOf(err))
 */
export function logFailure(logger: Logger, op: string, err: unknown, failure: Failure): void {
  const fields: Record<string, unknown> = { op, key: failure.key, code: failure.code };
  if (err instanceof FeishuApiError) {
    Object.assign(fields, { api: err.api, httpStatus: err.httpStatus, logId: err.logId });
    if (err.code === 99991672) {
      fields.missingScope = scopeHint(err.api) ?? 'see the Feishu error message';
      fields.upstreamMsg = err.message;
      logger.error(fields, `Feishu app lacks a scope for ${err.api}: grant ${String(fields.missingScope)}`);
      return;
    }
  } else if (err instanceof CompanyflowError) {
    Object.assign(fields, { reason: err.reason, httpStatus: err.httpStatus });
  } else if (err instanceof Error && !(err instanceof SelfServiceError)) {
    Object.assign(fields, { errName: err.name, errMessage: err.message });
  }
  const expected = failure.key !== 'errors.generic' && failure.key !== 'errors.upstream';
  if (expected) logger.warn(fields, 'self-service ask failed');
  else logger.error(fields, 'self-service ask failed');
}
