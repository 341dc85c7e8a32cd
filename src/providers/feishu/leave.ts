import type { FeishuApi } from '../../feishu/types.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/types.js';
import type { StoreKeys } from '../../store/keys.js';
import type { LeaveBalance, LeaveProvider } from '../../domain/hr.js';
import { leaveTypeCodeOf } from '../../domain/leave-types.js';
import { allNames, mergeNames, namesFromI18n, type LocalizedName } from '../../domain/names.js';
import { fetchLeaveBalances, type LeaveBalanceEntry } from './leave-balances.js';
import { fetchLeaveTypes, type LeaveTypeName } from './leave-types.js';

/** Leave types rarely change; an hour of staleness is harmless. */
const LEAVE_TYPES_TTL_MS = 60 * 60 * 1000;

export interface FeishuLeaveDeps {
  feishu: FeishuApi;
  store: Store;
  keys: StoreKeys;
  logger: Logger;
}

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
export function feishuLeaveProvider(deps: FeishuLeaveDeps): LeaveProvider {
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

export function feishuBalance(entry: LeaveBalanceEntry, typeName: LocalizedName | undefined): LeaveBalance {
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
async function leaveTypeNames(deps: FeishuLeaveDeps): Promise<Map<string, LocalizedName>> {
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
