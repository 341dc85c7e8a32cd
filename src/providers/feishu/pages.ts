import { MAX_PAGES } from './i18n.js';

/** What one page of a page-token API gives back. */
export interface TokenPage<T> {
  items: T[];
  hasMore?: boolean | undefined;
  pageToken?: string | undefined;
}

/**
 * Follows `page_token` until the API says there is no more, at most `MAX_PAGES`
 * pages, stopping too if a page repeats its token (a misbehaving API must not loop).
 *
 * @example
 * const all = await collectPages(async (token) => {
 *   const data = await api.call(…, { params: { page_token: token } }, Page)
 *   return { items: data.records, hasMore: data.has_more, pageToken: data.page_token }
 * })
 */
export async function collectPages<T>(fetchPage: (pageToken: string | undefined) => Promise<TokenPage<T>>): Promise<T[]> {
  const out: T[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await fetchPage(pageToken);
    out.push(...result.items);
    if (!result.hasMore || !result.pageToken || result.pageToken === pageToken) break;
    pageToken = result.pageToken;
  }
  return out;
}
