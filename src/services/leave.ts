import type { LeaveBalanceSlots, LeaveTypeCode } from '../bot/context.js';
import type { FeishuApi } from '../feishu/types.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/types.js';
import type { StoreKeys } from '../store/keys.js';
import { fetchLeaveBalances, type LeaveBalanceEntry } from '../providers/feishu/leave-balances.js';
import { fetchLeaveTypes, type LeaveTypeName } from '../providers/feishu/leave-types.js';
import { fetchWorkEmail } from '../providers/feishu/contact.js';
import { fetchCompanyflowBalances, CompanyflowError, type CompanyflowBalance, type CompanyflowDeps } from '../providers/companyflow/client.js';
import { leaveTypeCodeOf } from '../domain/leave-types.js';
import { allNames, mergeNames, namesFromI18n, type LocalizedName } from './names.js';
import { yearIn } from './dates.js';

export { leaveTypeCodeOf } from '../domain/leave-types.js';

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

/** The leave answer of one ask: balances ordered for display. */
export interface LeaveBalanceResult extends ProviderBalances {
  provider: 'feishu' | 'companyflow';
  /** The (validated) slots this answer is for; the refresh button re-runs them. */
  asked: LeaveBalanceSlots;
  /** The code the person asked about, if any. */
  requested?: LeaveTypeCode;
  /** Leave type ids that match `requested` (shown first, highlighted). */
  highlighted: string[];
}

/** Leave types rarely change; an hour of staleness is harmless. */
const LEAVE_TYPES_TTL_MS = 60 * 60 * 1000;
/** Work emails change rarely; a day keeps contact calls low. */
const EMAIL_TTL_MS = 24 * 60 * 60 * 1000;

const num = (value: string | undefined): number => {
  const n = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isFinite(n) ? n : 0;
};

/**
 * Feishu CoreHR leave balances (seed 000), names completed from the cached leave-type list.
 *
 * @example
 * const provider = feishuLeaveProvider({ feishu, store, keys, logger })
 * await provider.balancesOf('ou_1', { now: new Date(), timeZone: 'Asia/Shanghai' })
 */
export function feishuLeaveProvider(deps: { feishu: FeishuApi; store: Store; keys: StoreKeys; logger: Logger }): LeaveProvider {
  return {
    name: 'feishu',
    async balancesOf(openId, query) {
      const records = await fetchLeaveBalances(deps.feishu, { openId, asOfDate: query.asOf, timeZone: query.timeZone });
      const entries = records.flatMap((r) => r.leave_balance_list);
      const asOf = records.find((r) => r.as_of_date)?.as_of_date ?? query.asOf;
      const needNames = entries.some((e) => Object.keys(namesFromI18n(e.leave_type_name)).length < 2);
      const typeNames = needNames ? await leaveTypeNames(deps) : new Map<string, LocalizedName>();
      return {
        ...(asOf ? { asOf } : {}),
        balances: entries.map((e) => feishuBalance(e, typeNames.get(e.leave_type_id))),
      };
    },
  };
}

function feishuBalance(entry: LeaveBalanceEntry, typeName: LocalizedName | undefined): LeaveBalance {
  const name = mergeNames(namesFromI18n(entry.leave_type_name), typeName);
  return {
    leaveTypeId: entry.leave_type_id,
    name,
    code: leaveTypeCodeOf(allNames(name)),
    unit: entry.leave_duration_unit === 2 ? 'hour' : 'day',
    figures: {
      kind: 'cycle',
      balance: num(entry.leave_balance),
      carriedOver: num(entry.historical_cycles_left),
      grantedThisCycle: num(entry.this_cycle_total),
      taken: num(entry.this_cycle_taken),
    },
  };
}

/** Leave-type names from the store, else from Feishu (then cached). Degrades to none on failure. */
async function leaveTypeNames(deps: { feishu: FeishuApi; store: Store; keys: StoreKeys; logger: Logger }): Promise<Map<string, LocalizedName>> {
  const key = deps.keys.leaveTypes();
  let types: LeaveTypeName[] | undefined;
  const cached = await deps.store.get(key);
  if (cached) {
    try {
      types = JSON.parse(cached) as LeaveTypeName[];
    } catch {
      types = undefined;
    }
  }
  if (!types) {
    try {
      types = await fetchLeaveTypes(deps.feishu);
      await deps.store.set(key, JSON.stringify(types), { ttlMs: LEAVE_TYPES_TTL_MS });
    } catch (err) {
      // The balance answer carries names too; a missing translation is no reason to fail the ask.
      deps.logger.warn({ op: 'leave_types', err: (err as Error).message }, 'leave type names unavailable');
      types = [];
    }
  }
  return new Map(types.map((t) => [t.id, namesFromI18n(t.names)]));
}

/**
 * CompanyFlow leave balances (seed 004) for the employee behind the asker's work email.
 *
 * @example
 * const provider = companyflowLeaveProvider({ ...cfDeps, feishu })
 */
export function companyflowLeaveProvider(deps: CompanyflowDeps & { feishu: FeishuApi }): LeaveProvider {
  return {
    name: 'companyflow',
    async balancesOf(openId, query) {
      const email = await workEmail(deps, openId);
      const year = query.asOf ? Number(query.asOf.slice(0, 4)) : yearIn(query.now, query.timeZone);
      const { balances, missing } = await fetchCompanyflowBalances(deps, email, year);
      return { year, balances: balances.map(companyflowBalance), ...(missing ? { missing } : {}) };
    },
  };
}

async function workEmail(deps: CompanyflowDeps & { feishu: FeishuApi }, openId: string): Promise<string> {
  const key = deps.keys.userEmail(openId);
  const cached = await deps.store.get(key);
  if (cached) return cached;
  const email = await fetchWorkEmail(deps.feishu, openId);
  if (!email) throw new CompanyflowError('no_email');
  await deps.store.set(key, email, { ttlMs: EMAIL_TTL_MS });
  return email;
}

function companyflowBalance(b: CompanyflowBalance): LeaveBalance {
  const label = b.leave_type?.name ?? b.leave_type_id;
  const name: LocalizedName = { 'zh-CN': label, 'en-US': label };
  return {
    leaveTypeId: b.leave_type_id,
    name,
    code: leaveTypeCodeOf([label]),
    unit: 'day',
    figures: {
      kind: 'year',
      total: b.total_days,
      used: b.used_days,
      pending: b.pending_days,
      available: b.available_days,
      carriedForward: b.carried_forward_days,
    },
  };
}

/**
 * Puts the leave types matching the asked-for code first and marks them highlighted.
 *
 * @example
 * orderForDisplay('feishu', answer, { leaveType: 'annual' }).highlighted // ['7001']
 */
export function orderForDisplay(provider: LeaveProvider['name'], answer: ProviderBalances, slots: LeaveBalanceSlots): LeaveBalanceResult {
  const requested = slots.leaveType;
  const matching = requested ? answer.balances.filter((b) => b.code === requested) : [];
  const rest = answer.balances.filter((b) => !matching.includes(b));
  return {
    ...answer,
    provider,
    asked: slots,
    ...(requested ? { requested } : {}),
    balances: [...matching, ...rest],
    highlighted: matching.map((b) => b.leaveTypeId),
  };
}
