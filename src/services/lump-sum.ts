import type { LumpSumSlots } from '../bot/context.js';
import type { FeishuApi } from '../feishu/types.js';
import { fetchLumpSums, type LumpSumRecord } from '../providers/feishu/lump-sum.js';
import type { LocalizedName } from './names.js';

/** One issuance of a lump-sum payment. Amounts stay upstream decimal strings. */
export interface LumpSumIssuance {
  amount: string | undefined;
  /** `to_be_issued` | `not_issued` (unknown values pass through). */
  status: string | undefined;
  /** `with_salary` | `with_cash` | `with_year_end_bonus` (unknown values pass through). */
  way: string | undefined;
  /** YYYY-MM-DD */
  date: string | undefined;
}

/** One lump-sum payment record of the asker (pay figures: never cached or logged). */
export interface LumpSumPayment {
  id: string;
  totalAmount: string | undefined;
  itemId: string | undefined;
  remark: string | undefined;
  description: LocalizedName;
  referencePeriod: { start: string | undefined; end: string | undefined };
  createdAt: string | undefined;
  issuances: LumpSumIssuance[];
}

export interface LumpSumResult {
  /** The (validated) slots this answer is for; the refresh button re-runs them. */
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
  const year = validYear(slots.year);
  const records = await fetchLumpSums(feishu, openId);
  const payments = records
    .map(lumpSumPayment)
    .filter((p) => year === undefined || inYear(p, year))
    .sort((a, b) => sortDate(b).localeCompare(sortDate(a)));
  return { asked: year === undefined ? {} : { year }, year, payments };
}

/** Slots may come from a forgeable button: only a plausible whole year counts. */
function validYear(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1970 && value <= 2200 ? value : undefined;
}

function lumpSumPayment(r: LumpSumRecord): LumpSumPayment {
  const description: LocalizedName = {};
  if (r.issuance_detail_text?.zh_cn) description['zh-CN'] = r.issuance_detail_text.zh_cn;
  if (r.issuance_detail_text?.en_us) description['en-US'] = r.issuance_detail_text.en_us;
  return {
    id: r.id,
    totalAmount: r.total_amount,
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
    })),
  };
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
