import type { LeaveTypeCode } from './leave-types.js';
import type { LocalizedName } from './names.js';

/**
 * HR records as the bot speaks of them, whichever system they came from. Providers map
 * their wire formats onto these; services and cards read only these.
 */

/** Figures of a leave type in a cycle-based plan (Feishu CoreHR). */
export interface CycleFigures {
  kind: 'cycle';
  balance: number;
  /** Left over from earlier cycles. */
  carriedOver: number;
  grantedThisCycle: number;
  taken: number;
}

/** Figures of a leave type for one calendar year (CompanyFlow). */
export interface YearFigures {
  kind: 'year';
  total: number;
  used: number;
  pending: number;
  available: number;
  carriedForward: number;
}

/** One leave type's balance for the asker, with names in both languages. */
export interface LeaveBalance {
  leaveTypeId: string;
  name: LocalizedName;
  code: LeaveTypeCode | undefined;
  unit: 'day' | 'hour';
  figures: CycleFigures | YearFigures;
}

/** What a leave provider answers for one person. */
export interface ProviderBalances {
  /** YYYY-MM-DD the figures are valid for (CoreHR). */
  asOf?: string;
  /** The year the figures belong to (CompanyFlow). */
  year?: number;
  balances: LeaveBalance[];
  /** Configured leave types the provider did not know. */
  missing?: number;
}

export interface LeaveQuery {
  asOf?: string | undefined;
  now: Date;
  timeZone: string;
}

/** A source of leave balances (Feishu CoreHR or CompanyFlow); always the asker's own. */
export interface LeaveProvider {
  readonly name: 'feishu' | 'companyflow';
  balancesOf(openId: string, query: LeaveQuery): Promise<ProviderBalances>;
}

export type PayItemType = 'text' | 'amount' | 'number' | 'percent' | 'date' | 'reference';

/** One line of a payslip. `value` is the upstream raw value, formatted only by the card. */
export interface PayslipItem {
  id: string;
  name: LocalizedName;
  type: PayItemType;
  value: string;
  /** Display values of a reference item, by language. */
  reference?: LocalizedName;
}

/** One payment (pay run) within the month. */
export interface PayslipPayment {
  activityId: string | undefined;
  items: PayslipItem[];
}

/** One issuance of a lump-sum payment. Amounts stay upstream decimal strings. */
export interface LumpSumIssuance {
  amount: string | undefined;
  /** `to_be_issued` | `not_issued` (unknown values pass through). */
  status: string | undefined;
  /** `with_salary` | `with_cash` | `with_year_end_bonus` (unknown values pass through). */
  way: string | undefined;
  /** YYYY-MM-DD */
  date: string | undefined;
  /** Feishu's opaque currency id, as on the record. */
  currencyId?: string | undefined;
  /** ISO 4217 code resolved from `currencyId`; absent when it could not be resolved. */
  currency?: string | undefined;
}

/** One lump-sum payment record of the asker (pay figures: never cached or logged). */
export interface LumpSumPayment {
  id: string;
  totalAmount: string | undefined;
  /** Feishu's opaque currency id, as on the record. */
  currencyId?: string | undefined;
  /** ISO 4217 code resolved from `currencyId`; absent when it could not be resolved. */
  currency?: string | undefined;
  /** The pay item's id: never shown (a person cannot read it). */
  itemId: string | undefined;
  /** The pay item's name, resolved from `itemId`; absent when it could not be resolved. */
  itemName?: LocalizedName | undefined;
  remark: string | undefined;
  description: LocalizedName;
  referencePeriod: { start: string | undefined; end: string | undefined };
  createdAt: string | undefined;
  issuances: LumpSumIssuance[];
}
