import type { LumpSumPayment } from '../domain/hr.js';
import type { LumpSumSlots } from '../domain/slots.js';
import type { FeishuApi } from '../feishu/types.js';
import { fetchLumpSumPayments } from '../providers/feishu/lump-sum.js';
import type { ReferenceData } from './reference-data.js';

export type { LumpSumIssuance, LumpSumPayment } from '../domain/hr.js';

export interface LumpSumResult {
  /** The slots this answer is for; the refresh button re-runs them. */
  asked: LumpSumSlots;
  year: number | undefined;
  payments: LumpSumPayment[];
}

export interface LumpSumDeps {
  feishu: FeishuApi;
  /** Currency codes and item names; without it amounts show no currency and items a generic label. */
  reference?: ReferenceData;
}

/**
 * The asker's one-time payments, newest first; with `slots.year` only those issued,
 * referring to, or (lacking both) created in that year. Currency ids and item ids are
 * resolved (reference data, cached) where Feishu can; failures leave them unresolved.
 *
 * @example
 * await lumpSumsOf({ feishu, reference }, 'ou_1', { year: 2024 })
 */
export async function lumpSumsOf(deps: LumpSumDeps, openId: string, slots: LumpSumSlots): Promise<LumpSumResult> {
  const year = slots.year;
  const payments = (await fetchLumpSumPayments(deps.feishu, openId))
    .filter((p) => year === undefined || inYear(p, year))
    .sort((a, b) => sortDate(b).localeCompare(sortDate(a)));
  return { asked: year === undefined ? {} : { year }, year, payments: deps.reference ? await resolved(deps.reference, payments) : payments };
}

/** The payments with currency codes and item names filled in where they could be resolved. */
async function resolved(reference: ReferenceData, payments: LumpSumPayment[]): Promise<LumpSumPayment[]> {
  const [codes, names] = await Promise.all([
    reference.currencyCodes(payments.flatMap((p) => [p.currencyId, ...p.issuances.map((i) => i.currencyId)])),
    reference.payItemNames(payments.map((p) => p.itemId)),
  ]);
  const code = (id: string | undefined) => (id ? codes.get(id) : undefined);
  return payments.map((p) => {
    const itemName = p.itemId ? names.get(p.itemId) : undefined;
    return {
      ...p,
      ...(code(p.currencyId) ? { currency: code(p.currencyId) } : {}),
      ...(itemName ? { itemName } : {}),
      issuances: p.issuances.map((i) => (code(i.currencyId) ? { ...i, currency: code(i.currencyId) } : i)),
    };
  });
}

function inYear(p: LumpSumPayment, year: number): boolean {
  const prefix = String(year);
  const issued = p.issuances.map((i) => i.date).filter((d): d is string => Boolean(d));
  if (issued.length > 0) return issued.some((d) => d.startsWith(prefix));
  if (p.referencePeriod.start || p.referencePeriod.end) {
    return [p.referencePeriod.start, p.referencePeriod.end].some((d) => d?.startsWith(prefix));
  }
  return p.createdAt?.startsWith(prefix) ?? false;
}

function sortDate(p: LumpSumPayment): string {
  const dates = [...p.issuances.map((i) => i.date ?? ''), p.referencePeriod.start ?? '', p.createdAt ?? ''];
  return dates.sort().at(-1) ?? '';
}
