import { z } from 'zod';
import type { FeishuApi } from '../../feishu/types.js';
import type { LumpSumPayment } from '../../domain/hr.js';
import type { LocalizedName } from '../../domain/names.js';
import { collectPages } from './pages.js';
import { apiPath } from '../../feishu/apis.js';

/** Seed 003: one issuance of a lump-sum payment. */
export const LumpSumDetail = z.object({
  id: z.string().optional(),
  record_id: z.string().optional(),
  user_id: z.string().optional(),
  issuance_amount: z.string().optional(),
  /** to_be_issued | not_issued */
  issuance_status: z.string().optional(),
  /** with_salary | with_cash | with_year_end_bonus */
  issuance_way: z.string().optional(),
  issuance_time: z.string().optional(),
  currency_id: z.string().optional(),
  belong_time: z.string().optional(),
});
export type LumpSumDetail = z.output<typeof LumpSumDetail>;

export const LumpSumRecord = z.object({
  id: z.string(),
  user_id: z.string(),
  total_amount: z.string().optional(),
  currency_id: z.string().optional(),
  issuance_frequency: z.number().int().optional(),
  item_id: z.string().optional(),
  remark: z.string().optional(),
  issuance_detail_text: z.object({ zh_cn: z.string().optional(), en_us: z.string().optional() }).optional(),
  create_time: z.string().optional(),
  reference_period_start_date: z.string().optional(),
  reference_period_end_date: z.string().optional(),
  details: z.array(LumpSumDetail).optional().default([]),
});
export type LumpSumRecord = z.output<typeof LumpSumRecord>;

export const LumpSumPage = z.object({
  records: z.array(LumpSumRecord).optional().default([]),
  has_more: z.boolean().optional(),
  page_token: z.string().optional(),
});

const PAGE_SIZE = 100;

/**
 * Every lump-sum payment record of one person (by open_id), all pages. Records of
 * anybody else are dropped. Holds pay figures: never cache or log it.
 *
 * @example
 * const records = await fetchLumpSums(feishu, 'ou_1')
 */
export async function fetchLumpSums(api: FeishuApi, openId: string): Promise<LumpSumRecord[]> {
  return collectPages(async (pageToken) => {
    const data = await api.call(
      'compensation.lumpSum',
      {
        method: 'POST',
        url: apiPath('compensation.lumpSum'),
        params: { user_id_type: 'open_id', page_size: PAGE_SIZE, page_token: pageToken },
        data: { user_ids: [openId] },
      },
      LumpSumPage,
    );
    return { items: data.records.filter((r) => r.user_id === openId), hasMore: data.has_more, pageToken: data.page_token };
  });
}

/**
 * The person's one-time payments in the domain's words. Holds pay figures: never cache or log it.
 *
 * @example
 * const payments = await fetchLumpSumPayments(feishu, 'ou_1')
 */
export async function fetchLumpSumPayments(api: FeishuApi, openId: string): Promise<LumpSumPayment[]> {
  return (await fetchLumpSums(api, openId)).map(lumpSumPayment);
}

function lumpSumPayment(r: LumpSumRecord): LumpSumPayment {
  const description: LocalizedName = {};
  if (r.issuance_detail_text?.zh_cn) description['zh-CN'] = r.issuance_detail_text.zh_cn;
  if (r.issuance_detail_text?.en_us) description['en-US'] = r.issuance_detail_text.en_us;
  return {
    id: r.id,
    totalAmount: r.total_amount,
    currencyId: r.currency_id,
    itemId: r.item_id,
    remark: r.remark?.trim() || undefined,
    description,
    referencePeriod: { start: r.reference_period_start_date, end: r.reference_period_end_date },
    createdAt: r.create_time,
    issuances: r.details.map((d) => ({
      amount: d.issuance_amount,
      status: d.issuance_status,
      way: d.issuance_way,
      date: d.issuance_time?.slice(0, 10),
      currencyId: d.currency_id ?? r.currency_id,
    })),
  };
}
