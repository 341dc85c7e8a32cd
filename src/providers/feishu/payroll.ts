import { z } from 'zod';
import type { FeishuApi } from '../../feishu/types.js';
import { LocaleText, MAX_PAGES } from './i18n.js';

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
        url: '/open-apis/payroll/v1/payment_detail/query',
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
