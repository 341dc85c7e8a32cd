import { z } from 'zod';
import type { LocalizedName } from '../domain/names.js';
import { FeishuApiError, RateLimitTimeoutError, type FeishuApi } from '../feishu/types.js';
import type { Logger } from '../log.js';
import { fetchCurrencyCodes } from '../providers/feishu/currencies.js';
import { fetchPayItemNames } from '../providers/feishu/pay-items.js';
import type { StoreKeys } from '../store/keys.js';
import type { Store } from '../store/types.js';

/**
 * Reference data the cards need to read well: currency codes and pay item names. They are
 * tenant settings, not pay data, so they are cached in the shared store (a day). A lookup
 * that fails leaves the card as it would be without it (amounts without currency, a
 * generic item label); it never fails the answer, and only the error code is logged.
 */
export interface ReferenceData {
  /** ISO 4217 code per currency id, for the ids that could be resolved. */
  currencyCodes(ids: Iterable<string | undefined>): Promise<Map<string, string>>;
  /** Names per pay item id, for the ids that could be resolved. */
  payItemNames(ids: Iterable<string | undefined>): Promise<Map<string, LocalizedName>>;
}

export interface ReferenceDataDeps {
  feishu: FeishuApi;
  store: Store;
  keys: StoreKeys;
  logger: Logger;
  /** Injected clock (tests). */
  now?: () => number;
}

/** Currencies and pay items change rarely; a day of staleness is harmless. */
export const REFERENCE_TTL_MS = 24 * 3600_000;
/** An id Feishu did not resolve is asked about again after an hour, not on every card. */
export const UNRESOLVED_TTL_MS = 3600_000;
/**
 * A look-up Feishu refused with a business code (a scope not granted, the product not
 * enabled) is not tried again for this long: the cards go without it meanwhile, without
 * a round trip and a warning on every ask.
 */
export const REFUSED_TTL_MS = 10 * 60_000;
/** A look-up waits at most this long for its rate-limit slot: the answer matters more. */
export const REFERENCE_MAX_WAIT_MS = 5_000;
const UNRESOLVED = '-';

const CachedItems = z.object({
  fetchedAt: z.number(),
  items: z.record(z.string(), z.object({ 'zh-CN': z.string().optional(), 'en-US': z.string().optional() })),
});
type CachedItems = z.output<typeof CachedItems>;

const unique = (ids: Iterable<string | undefined>): string[] => [...new Set([...ids].filter((id): id is string => Boolean(id)))];

/**
 * @example
 * const reference = createReferenceData({ feishu, store, keys, logger })
 * const codes = await reference.currencyCodes(['6863329932261459464']) // Map { … => 'CNY' }
 */
export function createReferenceData(deps: ReferenceDataDeps): ReferenceData {
  const now = deps.now ?? Date.now;

  /** Logs the failure (codes only, never a message that could quote a request); remembers a refusal. */
  async function unavailable(op: 'currency' | 'pay_items', err: unknown): Promise<void> {
    const fields: Record<string, unknown> = { op };
    if (err instanceof FeishuApiError) Object.assign(fields, { api: err.api, code: err.code, httpStatus: err.httpStatus, logId: err.logId });
    else fields.errName = err instanceof RateLimitTimeoutError ? 'RateLimitTimeoutError' : err instanceof Error ? err.name : typeof err;
    deps.logger.warn(fields, `${op} unavailable; the card goes without it`);
    if (err instanceof FeishuApiError && err.code !== 0 && !err.transient) {
      await deps.store.set(deps.keys.referenceRefused(op), String(err.code), { ttlMs: REFUSED_TTL_MS }).catch(() => undefined);
    }
  }

  const refused = async (op: 'currency' | 'pay_items'): Promise<boolean> => (await deps.store.get(deps.keys.referenceRefused(op))) !== null;

  async function currencyCodes(raw: Iterable<string | undefined>): Promise<Map<string, string>> {
    const ids = unique(raw);
    const out = new Map<string, string>();
    if (ids.length === 0) return out;
    try {
      const cached = await Promise.all(ids.map((id) => deps.store.get(deps.keys.currency(id))));
      const unknown: string[] = [];
      ids.forEach((id, i) => {
        const value = cached[i];
        if (value === null || value === undefined) unknown.push(id);
        else if (value !== UNRESOLVED) out.set(id, value);
      });
      if (unknown.length === 0 || (await refused('currency'))) return out;
      const found = await fetchCurrencyCodes(deps.feishu, unknown, { maxWaitMs: REFERENCE_MAX_WAIT_MS });
      await Promise.all(
        unknown.map((id) => {
          const code = found.get(id);
          if (code) out.set(id, code);
          return deps.store.set(deps.keys.currency(id), code ?? UNRESOLVED, { ttlMs: code ? REFERENCE_TTL_MS : UNRESOLVED_TTL_MS });
        }),
      );
    } catch (err) {
      await unavailable('currency', err);
    }
    return out;
  }

  async function readItems(): Promise<CachedItems | undefined> {
    const raw = await deps.store.get(deps.keys.payItems());
    if (!raw) return undefined;
    try {
      const parsed = CachedItems.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async function payItemNames(raw: Iterable<string | undefined>): Promise<Map<string, LocalizedName>> {
    const ids = unique(raw);
    const out = new Map<string, LocalizedName>();
    if (ids.length === 0) return out;
    try {
      let cached = await readItems();
      const missing = (c: CachedItems | undefined) => !c || ids.some((id) => !c.items[id]);
      // The list is read whole (the API filters by nothing but type); an id it lacked is
      // looked for again only once the cached list is an hour old.
      if (missing(cached) && (!cached || now() - cached.fetchedAt >= UNRESOLVED_TTL_MS) && !(await refused('pay_items'))) {
        const items = await fetchPayItemNames(deps.feishu, { maxWaitMs: REFERENCE_MAX_WAIT_MS });
        cached = { fetchedAt: now(), items: Object.fromEntries(items) };
        await deps.store.set(deps.keys.payItems(), JSON.stringify(cached), { ttlMs: REFERENCE_TTL_MS });
      }
      for (const id of ids) {
        const names = cached?.items[id];
        if (names && Object.keys(names).length > 0) out.set(id, names);
      }
    } catch (err) {
      await unavailable('pay_items', err);
    }
    return out;
  }

  return { currencyCodes, payItemNames };
}
