import { z } from 'zod';
import type { FeishuApi } from '../../feishu/types.js';
import { LangText } from './i18n.js';
import { collectPages } from './pages.js';
import { apiPath } from '../../feishu/apis.js';

const SubType = z.object({
  leave_type_id: z.string(),
  leave_type_name: z.array(LangText).optional().default([]),
});

/** One tenant leave type (`GET /open-apis/corehr/v1/leaves/leave_types`). */
export const LeaveTypeEntry = SubType.extend({
  status: z.number().int().optional(),
  leave_subtype_list: z.array(SubType).optional(),
});

export const LeaveTypesPage = z.object({
  leave_type_list: z.array(LeaveTypeEntry).optional().default([]),
  has_more: z.boolean().optional(),
  page_token: z.string().optional(),
});

/** A leave type reduced to what the bot shows and caches: id and names. */
export interface LeaveTypeName {
  id: string;
  names: Array<{ lang: string; value: string }>;
}

/**
 * Every leave type of the tenant (sub-types flattened), all pages.
 *
 * @example
 * const types = await fetchLeaveTypes(feishu) // [{ id: '123', names: [{ lang: 'zh-CN', value: '年假' }] }]
 */
export async function fetchLeaveTypes(api: FeishuApi): Promise<LeaveTypeName[]> {
  return collectPages(async (pageToken) => {
    const data = await api.call(
      'corehr.leaveTypes',
      {
        method: 'GET',
        url: apiPath('corehr.leaveTypes'),
        params: { page_size: '100', page_token: pageToken },
      },
      LeaveTypesPage,
    );
    const items = data.leave_type_list.flatMap((type): LeaveTypeName[] => [
      { id: type.leave_type_id, names: type.leave_type_name },
      ...(type.leave_subtype_list ?? []).map((sub) => ({ id: sub.leave_type_id, names: sub.leave_type_name })),
    ]);
    return { items, hasMore: data.has_more, pageToken: data.page_token };
  });
}
