import { z } from 'zod';
import type { FeishuApi } from '../../feishu/types.js';
import { LangText } from './i18n.js';
import { collectPages } from './pages.js';
import { apiPath } from '../../feishu/apis.js';

/** One leave type's balance (seed 000). Figures arrive as decimal strings. */
export const LeaveBalanceEntry = z.object({
  leave_type_id: z.string(),
  leave_type_name: z.array(LangText).optional().default([]),
  historical_cycles_left: z.string().optional(),
  this_cycle_total: z.string().optional(),
  this_cycle_taken: z.string().optional(),
  leave_balance: z.string().optional(),
  /** 1 = days, 2 = hours. */
  leave_duration_unit: z.number().int().optional(),
  balance_in_current_cycle: z.string().optional(),
});
export type LeaveBalanceEntry = z.output<typeof LeaveBalanceEntry>;

export const EmploymentLeaveBalance = z.object({
  employment_id: z.string(),
  as_of_date: z.string().optional(),
  leave_balance_list: z.array(LeaveBalanceEntry).optional().default([]),
});
export type EmploymentLeaveBalance = z.output<typeof EmploymentLeaveBalance>;

export const LeaveBalancesPage = z.object({
  employment_leave_balance_list: z.array(EmploymentLeaveBalance).optional().default([]),
  has_more: z.boolean().optional(),
  page_token: z.string().optional(),
});

export interface LeaveBalanceQuery {
  openId: string;
  /** YYYY-MM-DD; Feishu defaults to today. */
  asOfDate?: string | undefined;
  timeZone: string;
}

/** Page size sent as a string, as the API requires; 20 is the documented example and a safe maximum. */
const PAGE_SIZE = '20';

/**
 * All leave balances of one person, following every page. Only the asker's own
 * employment record is returned, whatever else came back.
 *
 * @example
 * const records = await fetchLeaveBalances(feishu, { openId: 'ou_1', timeZone: 'Asia/Shanghai' })
 */
export async function fetchLeaveBalances(api: FeishuApi, query: LeaveBalanceQuery): Promise<EmploymentLeaveBalance[]> {
  return collectPages(async (pageToken) => {
    const data = await api.call(
      'corehr.leaveBalances',
      {
        method: 'GET',
        url: apiPath('corehr.leaveBalances'),
        params: {
          page_size: PAGE_SIZE,
          page_token: pageToken,
          as_of_date: query.asOfDate,
          employment_id_list: [query.openId],
          user_id_type: 'open_id',
          time_zone: query.timeZone,
        },
      },
      LeaveBalancesPage,
    );
    return {
      items: data.employment_leave_balance_list.filter((e) => e.employment_id === query.openId),
      hasMore: data.has_more,
      pageToken: data.page_token,
    };
  });
}
