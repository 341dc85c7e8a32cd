import type { PayslipSlots } from '../bot/context.js';
import type { FeishuApi } from '../feishu/types.js';
import type { Store } from '../store/types.js';
import type { StoreKeys } from '../store/keys.js';
import { convertOpenIdToEmploymentId } from '../providers/feishu/id-convert.js';
import { fetchPaymentDetails, type PaymentAccountingItem } from '../providers/feishu/payroll.js';
import { addMonths, isMonth, monthIn, monthRange } from './dates.js';
import { SelfServiceError } from './errors.js';
import { namesFromI18n, type LocalizedName } from './names.js';

export type PayItemType = 'text' | 'amount' | 'number' | 'percent' | 'date' | 'reference';

/** One line of a payslip. `value` is the upstream raw value, formatted only by the card. */
export interface PayslipItem {
  id: string;
  name: LocalizedName;
  type: PayItemType;
  value: string;
  /** Display values of a reference item, by language. */
  reference?: LocalizedName;
}

/** One payment (pay run) within the month. */
export interface PayslipPayment {
  activityId: string | undefined;
  items: PayslipItem[];
}

/** The payslip answer: pay figures, so never cached and never logged. */
export interface PayslipResult {
  /** The (validated) slots this answer is for; the refresh button re-runs them. */
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

const ITEM_TYPES: Record<number, PayItemType> = { 1: 'text', 2: 'amount', 3: 'number', 4: 'percent', 5: 'date', 6: 'reference' };

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
  const asked: PayslipSlots = typeof slots.month === 'string' && isMonth(slots.month) ? { month: slots.month } : {};
  const months = asked.month ? [asked.month] : lookbackMonths(monthIn(info.now, info.timeZone));
  for (const month of months) {
    const details = await fetchPaymentDetails(deps.feishu, employmentId, monthRange(month));
    const payments = details
      .map((d) => ({ activityId: d.activity_id, items: d.payment_accounting_items.map(payslipItem) }))
      .filter((p) => p.items.length > 0);
    if (payments.length > 0) return { asked, month, searched: months.slice(0, months.indexOf(month) + 1), payments };
  }
  return { asked, month: asked.month, searched: months, payments: [] };
}

function lookbackMonths(current: string): string[] {
  return Array.from({ length: PAYSLIP_LOOKBACK_MONTHS }, (_, i) => addMonths(current, -i));
}

function payslipItem(item: PaymentAccountingItem): PayslipItem {
  const type = ITEM_TYPES[item.accounting_item_type ?? 1] ?? 'text';
  const reference = namesFromI18n(item.accounting_item_value?.reference_values);
  return {
    id: item.id,
    name: namesFromI18n(item.accounting_item_names),
    type,
    value: item.accounting_item_value?.original_value ?? '',
    ...(Object.keys(reference).length > 0 ? { reference } : {}),
  };
}
