/**
 * Currency from the record and pay item names on the one-time payments card. Lump-sum
 * records (seed 003) carry a `currency_id` and an `item_id`; the bot resolves them with
 * CoreHR's currency search and the compensation pay item list (Feishu's published pages,
 * faked by msw from their documented shapes), caches them in the shared store (reference
 * data, never pay data) and formats amounts with `Intl` in the reader's language. A
 * look-up that fails or answers nonsense leaves the card as it was: amounts with two
 * decimals and no currency, a generic item label; the answer is delivered all the same.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { lumpSumCard } from '../../cards/lump-sum.js';
import { formatAmount } from '../../cards/format.js';
import { createI18n } from '../../src/i18n.js';
import type { Card } from '../../src/feishu/card.js';
import { createRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { REFERENCE_TTL_MS, REFUSED_TTL_MS } from '../../src/services/reference-data.js';
import type { LumpSumResult } from '../../src/services/lump-sum.js';
import { feishuError, installFeishuMock, testAppId } from '../support/feishu-mock.js';
import { deleteKeysWithPrefixes } from '../support/redis-cleanup.js';
import { ASKER, NOW, createGuard, fixture, makeSelfService, seedHandlers, type Guard } from '../support/self-service.js';

const mock = installFeishuMock();
const i18n = createI18n();
let guard: Guard | undefined;
const stores: Store[] = [];
const appIds: string[] = [];
afterEach(() => expect(guard?.violations ?? []).toEqual([]));
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  if (process.env.TEST_REDIS_URL) await deleteKeysWithPrefixes(process.env.TEST_REDIS_URL, appIds.map((id) => `hrbot:${id}:`));
});

const CNY = '6863329932261459464';
const USD = '6863329932261459465';
/** Retired (status 0) in the fixture: found only because the bot asks for status 0 too. */
const JPY = '6863329932261459466';

const CURRENCY_PATH = '/open-apis/corehr/v2/basic_info/currencies/search';
const ITEMS_PATH = '/open-apis/compensation/v1/items';

/** A self-service on a real Redis store (the shared cache), against the seed fakes. */
function setup(opts: { memory?: boolean } = {}) {
  guard = createGuard();
  mock.use(...seedHandlers(mock, guard));
  const appId = testAppId();
  appIds.push(appId);
  if (opts.memory) return makeSelfService(mock, { appId });
  const url = process.env.TEST_REDIS_URL;
  expect(url, 'TEST_REDIS_URL (set by the global setup)').toBeTruthy();
  const store = createRedisStore(url!);
  stores.push(store);
  return makeSelfService(mock, { appId, store });
}

/** Lump-sum answers whose two records are in the currencies given (record and issuances alike). */
function lumpSumsIn(currencies: [string, string]) {
  const page = fixture('lump-sum.page1');
  const records = [
    ...(page.data as { records: Array<Record<string, unknown>> }).records,
    ...(fixture('lump-sum.page2').data as { records: Array<Record<string, unknown>> }).records,
  ];
  const retarget = (r: Record<string, unknown>, currency: string) => ({
    ...r,
    currency_id: currency,
    details: (r.details as Array<Record<string, unknown>>).map((d) => ({ ...d, currency_id: currency })),
  });
  return http.post(`${mock.baseUrl}/open-apis/compensation/v1/lump_sum_payment/query`, ({ request }) =>
    mock.authError(request) ??
    HttpResponse.json({ code: 0, msg: 'success', data: { has_more: false, records: [retarget(records[0]!, currencies[0]), retarget(records[1]!, currencies[1])] } }),
  );
}

const text = (card: Card) => card.body.elements.flatMap((e) => (e.tag === 'markdown' ? [e.content] : [])).join('\n');
const cardIn = (result: LumpSumResult, locale: 'zh-CN' | 'en-US') => text(lumpSumCard(result, i18n.t(locale), { locale, timeZone: 'Asia/Shanghai', now: NOW }));

describe('currency formatting', () => {
  it('Intl currency style in the reader’s language; JPY has no decimals; no currency → two decimals', () => {
    expect(formatAmount('2000', 'zh-CN', 'CNY')).toBe('¥2,000.00');
    expect(formatAmount('2000', 'en-US', 'CNY')).toBe('CN¥2,000.00');
    expect(formatAmount('1234.5', 'en-US', 'USD')).toBe('$1,234.50');
    expect(formatAmount('1234.5', 'zh-CN', 'USD')).toBe('US$1,234.50');
    expect(formatAmount('30000', 'en-US', 'JPY')).toBe('¥30,000');
    expect(formatAmount('30000', 'zh-CN', 'JPY')).toBe('JP¥30,000');
    expect(formatAmount('30000', 'en-US')).toBe('30,000.00');
    // A code Intl refuses is no reason to fail: the plain amount.
    expect(formatAmount('30000', 'en-US', 'not a code')).toBe('30,000.00');
  });
});

describe('one-time payments with currency and item names from Feishu', () => {
  it('the record’s currency ids resolve to codes (one search for all unknown ids) and the card shows them in zh-CN and en-US', async () => {
    const h = setup();
    mock.use(lumpSumsIn([USD, JPY]));
    const result = await h.selfService.lumpSums(ASKER, {}, { now: NOW });

    const searches = mock.callsTo(CURRENCY_PATH);
    expect(searches).toHaveLength(1);
    const body = searches[0]!.body as { currency_id_list: string[]; status_list: number[] };
    expect([...body.currency_id_list].sort()).toEqual([USD, JPY].sort());
    expect(body.status_list).toEqual([1, 0]);
    expect(searches[0]!.query.get('page_size')).toBe('100');

    const en = cardIn(result, 'en-US');
    expect(en).toContain('**Retention bonus**');
    expect(en).toContain('**¥30,000** in total'); // JPY: no decimals
    expect(en).toContain('**Sign-on bonus**');
    expect(en).toContain('**$2,000.00** in total');
    expect(en).toContain('• Aug 1, 2024 · $1,000.00 · to be paid · with salary');
    const zh = cardIn(result, 'zh-CN');
    expect(zh).toContain('**留任奖金**');
    expect(zh).toContain('总金额 **JP¥30,000**');
    expect(zh).toContain('总金额 **US$2,000.00**');
    // Never a raw id.
    for (const card of [en, zh]) expect(card).not.toMatch(/7411039006180312620|7411039006180312699|686332993226145946/);
  });

  it('codes and names are cached in the shared store for a day: the next ask calls neither look-up', async () => {
    const h = setup();
    await h.selfService.lumpSums(ASKER, {}, { now: NOW });
    expect(mock.callsTo(CURRENCY_PATH)).toHaveLength(1);
    expect(mock.callsTo(ITEMS_PATH)).toHaveLength(1);
    expect(await h.store.get(h.keys.currency(CNY))).toBe('CNY');
    const ttl = await h.store.ttlMs(h.keys.currency(CNY));
    expect(ttl).toBeGreaterThan(REFERENCE_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(REFERENCE_TTL_MS);

    const again = await h.selfService.lumpSums(ASKER, {}, { now: NOW });
    expect(mock.callsTo(CURRENCY_PATH)).toHaveLength(1);
    expect(mock.callsTo(ITEMS_PATH)).toHaveLength(1);
    expect(mock.callsTo('/open-apis/compensation/v1/lump_sum_payment/query')).toHaveLength(4); // pay data: asked every time
    expect(cardIn(again, 'zh-CN')).toContain('总金额 **¥2,000.00**');
    // Pay figures are not in the store.
    expect(await h.store.get(h.keys.payItems())).not.toMatch(/2000|30000/);
  });

  it('a missing scope (99991672) on both look-ups: the card is still delivered, amounts with two decimals, a generic item label, only codes logged', async () => {
    const h = setup({ memory: true });
    mock.use(
      http.post(`${mock.baseUrl}${CURRENCY_PATH}`, () => feishuError(400, 99991672, 'Access denied. One of the following scopes is required: [corehr:common_data.basic_data:read]')),
      http.get(`${mock.baseUrl}${ITEMS_PATH}`, () => feishuError(400, 99991672, 'Access denied. One of the following scopes is required: [corehr:compensation_item:read]')),
    );
    const result = await h.selfService.lumpSums(ASKER, {}, { now: NOW });
    expect(result.payments).toHaveLength(2);
    expect(result.payments.every((p) => p.currency === undefined && p.itemName === undefined)).toBe(true);
    const en = cardIn(result, 'en-US');
    expect(en).toContain('**30,000.00** in total');
    expect(en).toContain('**One-time payment**');
    expect(en).not.toMatch(/7411039006180312620|7411039006180312699|¥|\$/);
    expect(cardIn(result, 'zh-CN')).toContain('**一次性支付**');

    const warnings = h.log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.op === 'currency' || l.op === 'pay_items');
    expect(warnings.map((w) => [w.op, w.code])).toEqual(expect.arrayContaining([['currency', 99991672], ['pay_items', 99991672]]));
    // The client names the scope to grant (Feishu's words); no pay figure is logged.
    expect(h.log.text()).not.toMatch(/30000|2000\.00|1000\.00/);

    // The refusal is remembered for ten minutes: the next ask goes without either look-up.
    expect(mock.callsTo(CURRENCY_PATH)).toHaveLength(1);
    expect(mock.callsTo(ITEMS_PATH)).toHaveLength(1);
    expect(await h.store.ttlMs(h.keys.referenceRefused('currency'))).toBeLessThanOrEqual(REFUSED_TTL_MS);
    const again = await h.selfService.lumpSums(ASKER, {}, { now: NOW });
    expect(cardIn(again, 'en-US')).toContain('**30,000.00** in total');
    expect(mock.callsTo(CURRENCY_PATH)).toHaveLength(1);
    expect(mock.callsTo(ITEMS_PATH)).toHaveLength(1);
  });

  it('an invalid answer (items not a list, a code that is no ISO code) falls back the same way', async () => {
    const h = setup({ memory: true });
    mock.use(
      http.post(`${mock.baseUrl}${CURRENCY_PATH}`, () => HttpResponse.json({ code: 0, msg: 'success', data: { items: 'CNY' } })),
      http.get(`${mock.baseUrl}${ITEMS_PATH}`, () => HttpResponse.json({ code: 0, msg: 'success', data: { items: [{ name: 'no id' }] } })),
    );
    const result = await h.selfService.lumpSums(ASKER, {}, { now: NOW });
    expect(cardIn(result, 'en-US')).toContain('**2,000.00** in total');
    expect(cardIn(result, 'en-US')).toContain('**One-time payment**');

    // A well-formed answer whose code is not ISO 4217: left unresolved (and not asked again for an hour).
    const h2 = setup({ memory: true });
    mock.use(
      http.post(`${mock.baseUrl}${CURRENCY_PATH}`, () =>
        HttpResponse.json({ code: 0, msg: 'success', data: { items: [{ currency_id: CNY, currency_alpha_3_code: 'RMB元', status: 1 }], has_more: false } }),
      ),
    );
    const second = await h2.selfService.lumpSums(ASKER, {}, { now: NOW });
    expect(cardIn(second, 'zh-CN')).toContain('总金额 **2,000.00**');
    expect(await h2.store.get(h2.keys.currency(CNY))).toBe('-');
  });

  it('an upstream error code (HTTP 500) on the currency search: the answer is delivered without currency', async () => {
    const h = setup({ memory: true });
    mock.use(http.post(`${mock.baseUrl}${CURRENCY_PATH}`, () => feishuError(500, 1160099, 'internal error')));
    const result = await h.selfService.lumpSums(ASKER, {}, { now: NOW });
    const en = cardIn(result, 'en-US');
    expect(en).toContain('**2,000.00** in total');
    expect(en).toContain('**Sign-on bonus**'); // the item list still answered
    // A server error is not a refusal: the next ask tries again.
    expect(await h.store.get(h.keys.referenceRefused('currency'))).toBeNull();
  });
});
