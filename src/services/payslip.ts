import { addMonths, monthIn, monthRange } from '../domain/calendar.js';
import type { PayslipPayment } from '../domain/hr.js';
import type { PayslipSlots } from '../domain/slots.js';
import type { FeishuApi } from '../feishu/types.js';
import type { Store } from '../store/types.js';
import type { StoreKeys } from '../store/keys.js';
import { convertOpenIdToEmploymentId } from '../providers/feishu/id-convert.js';
import { fetchPayslipPayments } from '../providers/feishu/payroll.js';
import { SelfServiceError } from './errors.js';

export type { PayItemType, PayslipItem, PayslipPayment } from '../domain/hr.js';

/** The payslip answer: pay figures, so never cached and never logged. */
export interface PayslipResult {
  /** The slots this answer is for; the refresh button re-runs them. */
  asked: PayslipSlots;
  /** The month shown (`YYYY-MM`); undefined when no month with data was found. */
  month: string | undefined;
  /** Months searched when no month was asked for, newest first. */
  searched: string[];
  payments: PayslipPayment[];
}

/** Without a month we look back this many months for the latest payslip (one payroll call each, 1/s). */
export const PAYSLIP_LOOKBACK_MONTHS = 3;

/** The employment id never changes for a person's employment; a week is a safe cache. */
const EMPLOYMENT_ID_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface PayslipDeps {
  feishu: FeishuApi;
  store: Store;
  keys: StoreKeys;
}

/**
 * The asker's CoreHR employment id, cached in the store (not pay data).
 * Throws SelfServiceError('errors.noHrRecord') when the person has none.
 *
 * @example
 * await employmentIdOf(deps, 'ou_1') // '7202076988667019222'
 */
export async function employmentIdOf(deps: PayslipDeps, openId: string): Promise<string> {
  const key = deps.keys.employmentId(openId);
  const cached = await deps.store.get(key);
  if (cached) return cached;
  const id = await convertOpenIdToEmploymentId(deps.feishu, openId);
  if (!id) throw new SelfServiceError({ key: 'errors.noHrRecord', retryable: false });
  await deps.store.set(key, id, { ttlMs: EMPLOYMENT_ID_TTL_MS });
  return id;
}

/**
 * The asker's payslip for `slots.month`, or the latest month with data within the
 * lookback window when no month is given.
 *
 * @example
 * await payslipOf(deps, 'ou_1', { month: '2025-01' }, { now, timeZone: 'Asia/Shanghai' })
 */
export async function payslipOf(
  deps: PayslipDeps,
  openId: string,
  slots: PayslipSlots,
  info: { now: Date; timeZone: string },
): Promise<PayslipResult> {
  const employmentId = await employmentIdOf(deps, openId);
  const asked: PayslipSlots = slots.month ? { month: slots.month } : {};
  const months = asked.month ? [asked.month] : lookbackMonths(monthIn(info.now, info.timeZone));
  for (const month of months) {
    const payments = await fetchPayslipPayments(deps.feishu, employmentId, monthRange(month));
    if (payments.length > 0) return { asked, month, searched: months.slice(0, months.indexOf(month) + 1), payments };
  }
  return { asked, month: asked.month, searched: months, payments: [] };
}

function lookbackMonths(current: string): string[] {
  return Array.from({ length: PAYSLIP_LOOKBACK_MONTHS }, (_, i) => addMonths(current, -i));
}
