import type { LeaveBalance } from '../domain/hr.js';
import { apiPath } from '../feishu/apis.js';
import type { FeishuApi } from '../feishu/types.js';
import { feishuBalance } from '../providers/feishu/leave.js';
import { LeaveBalancesPage, type LeaveBalanceEntry } from '../providers/feishu/leave-balances.js';

/** The most the balance report gives per page; 100 per page at 100 pages/min keeps pages off the critical path. */
export const ROSTER_PAGE_SIZE = '100';

/** One employee as the balance report lists them: their open_id and balances per type. */
export interface RosterEntry {
  openId: string;
  balances: LeaveBalance[];
  /** The report's rows as they came (what a push job carries). */
  rows: LeaveBalanceEntry[];
}

export interface RosterPage {
  employees: RosterEntry[];
  /** The token of the next page; undefined on the last. */
  next: string | undefined;
}

/**
 * One page of every employee's leave balances (seed 000: no `employment_id_list` means
 * everybody; `user_id_type=open_id` makes `employment_id` the open_id we send to).
 *
 * @example
 * const page = await fetchRosterPage(feishu.api, undefined, 'Asia/Shanghai')
 */
export async function fetchRosterPage(api: FeishuApi, pageToken: string | undefined, timeZone: string): Promise<RosterPage> {
  const data = await api.call(
    'corehr.leaveBalances',
    {
      method: 'GET',
      url: apiPath('corehr.leaveBalances'),
      params: { page_size: ROSTER_PAGE_SIZE, page_token: pageToken, user_id_type: 'open_id', time_zone: timeZone },
    },
    LeaveBalancesPage,
  );
  const employees = data.employment_leave_balance_list
    .filter((e) => e.employment_id.startsWith('ou_'))
    .map((e) => ({ openId: e.employment_id, balances: e.leave_balance_list.map((b) => feishuBalance(b, undefined)), rows: e.leave_balance_list }));
  // A token that repeats would loop forever; treat it as the end.
  const next = data.has_more && data.page_token && data.page_token !== pageToken ? data.page_token : undefined;
  return { employees, next };
}

/** Positive balance in any leave type: the one condition (besides opt-out) for a reminder. */
export function hasPositiveBalance(entry: RosterEntry): boolean {
  return entry.balances.some((b) => (b.figures.kind === 'cycle' ? b.figures.balance : b.figures.available) > 0);
}
