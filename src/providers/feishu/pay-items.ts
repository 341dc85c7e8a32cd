import { z } from 'zod';
import type { FeishuApi } from '../../feishu/types.js';
import { apiPath } from '../../feishu/apis.js';
import { namesFromI18n, type LocalizedName } from '../../domain/names.js';
import { LOCALES } from '../../domain/locales.js';
import { collectPages } from './pages.js';

/**
 * One pay item of `GET /open-apis/compensation/v1/items` ("批量查询薪资项"), the list seed 003
 * names for a lump-sum record's `item_id`. Not in the seeds: the shape is Feishu's published
 * page (compensation-v1/item/list), matched by the Node SDK's typings of the same API.
 */
export const PayItemEntry = z.object({
  id: z.string(),
  name: z.string().optional(),
  i18n_names: z.array(z.object({ locale: z.string().optional(), value: z.string().optional() })).optional(),
  /** 1 enabled, 0 disabled: a disabled item still names old payments. */
  active_status: z.number().int().optional(),
});

export const PayItemPage = z.object({
  items: z.array(PayItemEntry).optional().default([]),
  page_token: z.string().optional(),
  has_more: z.boolean().optional(),
});

/** The API allows 1–500 a page. */
const PAGE_SIZE = 500;

/**
 * Every pay item of the tenant, id → names (the plain `name` stands for every language
 * when there are no i18n names). The API filters by nothing but type, so the whole list is read. Reference data.
 *
 * @example
 * await fetchPayItemNames(feishu) // Map { '7411039006180312620' => { 'zh-CN': '签约奖金', 'en-US': 'Sign-on bonus' } }
 */
export async function fetchPayItemNames(api: FeishuApi, opts: { maxWaitMs?: number } = {}): Promise<Map<string, LocalizedName>> {
  const items = await collectPages(async (pageToken) => {
    const data = await api.call(
      'compensation.items',
      { method: 'GET', url: apiPath('compensation.items'), params: { page_size: PAGE_SIZE, page_token: pageToken } },
      PayItemPage,
      opts.maxWaitMs === undefined ? undefined : { maxWaitMs: opts.maxWaitMs },
    );
    return { items: data.items, hasMore: data.has_more, pageToken: data.page_token };
  });
  const out = new Map<string, LocalizedName>();
  for (const item of items) {
    const names = namesFromI18n((item.i18n_names ?? []).flatMap((e) => (e.value ? [{ locale: e.locale, value: e.value }] : [])));
    const plain = item.name?.trim();
    if (plain && Object.keys(names).length === 0) for (const l of LOCALES) names[l] = plain;
    if (Object.keys(names).length > 0) out.set(item.id, names);
  }
  return out;
}
