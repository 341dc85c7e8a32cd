import { z } from 'zod';
import type { FeishuApi } from '../../feishu/types.js';
import type { PayItemType, PayslipItem, PayslipPayment } from '../../domain/hr.js';
import { namesFromI18n } from '../../domain/names.js';
import { LocaleText, MAX_PAGES } from './i18n.js';
import { apiPath } from '../../feishu/apis.js';

/** Seed 002: one accounting item of a payment detail. */
export const PaymentAccountingItem = z.object({
  id: z.string(),
  accounting_item_names: z.array(LocaleText).optional().default([]),
  accounting_item_value: z
    .object({
      original_value: z.string().optional(),
      reference_values: z.array(LocaleText).optional(),
    })
    .optional(),
  /** 1 text, 2 amount, 3 number, 4 percent, 5 date, 6 reference. */
  accounting_item_type: z.number().int().optional(),
});
export type PaymentAccountingItem = z.output<typeof PaymentAccountingItem>;

export const PaymentDetail = z.object({
  employee_id: z.string(),
  activity_id: z.string().optional(),
  payment_accounting_items: z.array(PaymentAccountingItem).optional().default([]),
});
export type PaymentDetail = z.output<typeof PaymentDetail>;

export const PaymentDetailPage = z.object({
  payment_details: z.array(PaymentDetail).optional().default([]),
  total: z.number().int().optional(),
});

export interface PayPeriod {
  /** YYYY-MM-DD, inclusive. */
  start: string;
  /** YYYY-MM-DD, inclusive; at most 12 months after `start`. */
  end: string;
}

/** The API's maximum page size. */
const PAGE_SIZE = 100;
/**
 * Payroll allows one call per second for the whole app, so when many people ask at once
 * (a "latest payslip" ask may take up to three calls) they queue: wait up to five minutes
 * for a slot rather than fail.
 */
export const PAYROLL_MAX_WAIT_MS = 5 * 60_000;

/**
 * Every payment detail of one CoreHR employee paid within `period`, all pages.
 * Details of anybody else are dropped. The result holds pay figures: never cache or log it.
 *
 * @example
 * await fetchPaymentDetails(feishu, '7202…', { start: '2025-01-01', end: '2025-01-31' })
 */
export async function fetchPaymentDetails(api: FeishuApi, employmentId: string, period: PayPeriod): Promise<PaymentDetail[]> {
  const out: PaymentDetail[] = [];
  let seen = 0;
  for (let pageIndex = 1; pageIndex <= MAX_PAGES; pageIndex++) {
    const data = await api.call(
      'payroll.paymentDetail',
      {
        method: 'POST',
        url: apiPath('payroll.paymentDetail'),
        data: {
          page_index: pageIndex,
          page_size: PAGE_SIZE,
          employee_ids: [employmentId],
          pay_period_start_date: period.start,
          pay_period_end_date: period.end,
        },
      },
      PaymentDetailPage,
      { maxWaitMs: PAYROLL_MAX_WAIT_MS },
    );
    seen += data.payment_details.length;
    out.push(...data.payment_details.filter((d) => d.employee_id === employmentId));
    const total = data.total ?? seen;
    if (data.payment_details.length < PAGE_SIZE || seen >= total) break;
  }
  return out;
}

const ITEM_TYPES: Record<number, PayItemType> = { 1: 'text', 2: 'amount', 3: 'number', 4: 'percent', 5: 'date', 6: 'reference' };

/**
 * The employee's payments within `period` as payslip lines (pay runs without lines dropped).
 * Holds pay figures: never cache or log it.
 *
 * @example
 * await fetchPayslipPayments(feishu, '7202…', monthRange('2025-01'))
 */
export async function fetchPayslipPayments(api: FeishuApi, employmentId: string, period: PayPeriod): Promise<PayslipPayment[]> {
  const details = await fetchPaymentDetails(api, employmentId, period);
  return details
    .map((d) => ({ activityId: d.activity_id, items: d.payment_accounting_items.map(payslipItem) }))
    .filter((p) => p.items.length > 0);
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
