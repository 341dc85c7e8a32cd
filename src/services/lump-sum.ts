import type { LumpSumPayment } from '../domain/hr.js';
import type { LumpSumSlots } from '../domain/slots.js';
import type { FeishuApi } from '../feishu/types.js';
import { fetchLumpSumPayments } from '../providers/feishu/lump-sum.js';

export type { LumpSumIssuance, LumpSumPayment } from '../domain/hr.js';

export interface LumpSumResult {
  /** The slots this answer is for; the refresh button re-runs them. */
  asked: LumpSumSlots;
  year: number | undefined;
  payments: LumpSumPayment[];
}

/**
 * The asker's one-time payments, newest first; with `slots.year` only those issued,
 * referring to, or (lacking both) created in that year.
 *
 * @example
 * await lumpSumsOf(feishu, 'ou_1', { year: 2024 })
 */
export async function lumpSumsOf(feishu: FeishuApi, openId: string, slots: LumpSumSlots): Promise<LumpSumResult> {
  const year = slots.year;
  const payments = (await fetchLumpSumPayments(feishu, openId))
    .filter((p) => year === undefined || inYear(p, year))
    .sort((a, b) => sortDate(b).localeCompare(sortDate(a)));
  return { asked: year === undefined ? {} : { year }, year, payments };
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
