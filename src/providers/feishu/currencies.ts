import { z } from 'zod';
import type { FeishuApi } from '../../feishu/types.js';
import { apiPath } from '../../feishu/apis.js';
import { LangText } from './i18n.js';
import { collectPages } from './pages.js';

/**
 * One currency of `POST /open-apis/corehr/v2/basic_info/currencies/search` ("查询货币信息").
 * Not in the seeds: the shape is Feishu's published page
 * (open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/corehr-v2/basic_info-currency/search),
 * matched by the Node SDK's typings of the same API.
 */
export const CurrencyEntry = z.object({
  currency_id: z.string(),
  country_region_id_list: z.array(z.string()).optional(),
  currency_name: z.array(LangText).optional(),
  numeric_code: z.number().int().optional(),
  currency_alpha_3_code: z.string().optional(),
  /** 1 active, 0 retired. */
  status: z.number().int().optional(),
});

export const CurrencyPage = z.object({
  items: z.array(CurrencyEntry).optional().default([]),
  page_token: z.string().optional(),
  has_more: z.boolean().optional(),
});

/** The API's limits: at most 100 ids per request and 100 per page. */
export const CURRENCY_IDS_PER_CALL = 100;
const PAGE_SIZE = 100;
/** Active (1) and retired (0): an old payment may be in a currency no longer in use. The default is active only. */
const ALL_STATUSES = [1, 0];

/** A well-formed ISO 4217 alphabetic code (what `Intl.NumberFormat` takes as `currency`). */
const ISO_4217 = /^[A-Z]{3}$/;

/**
 * Currency id → ISO 4217 code for the ids given (≤ 100 a request, all pages). Ids Feishu
 * does not know, or answers without a well-formed code, are left out. Reference data.
 *
 * @example
 * await fetchCurrencyCodes(feishu, ['6863329932261459464']) // Map { '6863329932261459464' => 'CNY' }
 */
export async function fetchCurrencyCodes(api: FeishuApi, ids: readonly string[], opts: { maxWaitMs?: number } = {}): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const wanted = new Set(ids);
  for (let i = 0; i < ids.length; i += CURRENCY_IDS_PER_CALL) {
    const batch = ids.slice(i, i + CURRENCY_IDS_PER_CALL);
    const items = await collectPages(async (pageToken) => {
      const data = await api.call(
        'corehr.currencies',
        {
          method: 'POST',
          url: apiPath('corehr.currencies'),
          params: { page_size: PAGE_SIZE, page_token: pageToken },
          data: { currency_id_list: batch, status_list: ALL_STATUSES },
        },
        CurrencyPage,
        opts.maxWaitMs === undefined ? undefined : { maxWaitMs: opts.maxWaitMs },
      );
      return { items: data.items, hasMore: data.has_more, pageToken: data.page_token };
    });
    for (const item of items) {
      const code = item.currency_alpha_3_code?.trim().toUpperCase();
      if (wanted.has(item.currency_id) && code && ISO_4217.test(code)) out.set(item.currency_id, code);
    }
  }
  return out;
}
