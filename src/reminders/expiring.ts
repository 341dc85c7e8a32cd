import { z } from 'zod';
import type { LeaveBalance } from '../domain/hr.js';
import { apiPath } from '../feishu/apis.js';
import type { FeishuApi } from '../feishu/types.js';

/** Grants expiring within this many days are named in the reminder. */
export const EXPIRY_WINDOW_DAYS = 60;
/** At most this many expire-record calls per person (one per configured leave type). */
export const MAX_EXPIRY_CALLS = 2;

/** One grant record (SDK types of `leave_employ_expire_record.get`); figures are decimal strings. */
const ExpireRecord = z.looseObject({
  id: z.string().optional(),
  leave_type_id: z.string().optional(),
  left_granting_quantity: z.string().optional(),
  granting_quantity: z.string().optional(),
  /** 1 = days, 2 = hours. */
  granting_unit: z.number().int().optional(),
  expiration_date: z.string(),
});
const ExpireRecords = z.object({ records: z.array(ExpireRecord).optional().default([]) });

/** A grant that lapses soon: what is left of it, and when. */
export interface ExpiringGrant {
  leaveTypeId: string;
  quantity: number;
  unit: 'day' | 'hour';
  /** YYYY-MM-DD. */
  expires: string;
}

/**
 * The person's leave types to look up: those configured (`REMINDER_EXPIRY_LEAVE_TYPES`, ids or
 * codes) in which they hold a positive balance, at most `MAX_EXPIRY_CALLS`.
 */
export function expiryTypesOf(balances: readonly LeaveBalance[], configured: readonly string[]): LeaveBalance[] {
  const wanted = new Set(configured);
  return balances
    .filter((b) => wanted.has(b.leaveTypeId) || (b.code !== undefined && wanted.has(b.code)))
    .filter((b) => (b.figures.kind === 'cycle' ? b.figures.balance : b.figures.available) > 0)
    .slice(0, MAX_EXPIRY_CALLS);
}

/**
 * Grants of one leave type expiring between `from` and `to` (YYYY-MM-DD) with something left.
 * The API takes a JSON body on GET (feishu-platform §7), which the SDK transport sends.
 *
 * @example
 * await fetchExpiringGrants(api, { openId: 'ou_1', leaveTypeId: '7111', from: '2026-12-01', to: '2027-01-30' })
 */
export async function fetchExpiringGrants(
  api: FeishuApi,
  q: { openId: string; leaveTypeId: string; from: string; to: string },
): Promise<ExpiringGrant[]> {
  const data = await api.call(
    'attendance.expireRecords',
    {
      method: 'GET',
      url: apiPath('attendance.expireRecords', { leave_id: q.leaveTypeId }),
      params: { user_id_type: 'open_id' },
      data: { employment_id: q.openId, leave_type_id: q.leaveTypeId, start_expiration_date: q.from, end_expiration_date: q.to },
    },
    ExpireRecords,
  );
  return data.records
    .map((r) => ({
      leaveTypeId: q.leaveTypeId,
      quantity: Number(r.left_granting_quantity ?? r.granting_quantity ?? '0'),
      unit: r.granting_unit === 2 ? ('hour' as const) : ('day' as const),
      expires: r.expiration_date.slice(0, 10),
    }))
    .filter((g) => Number.isFinite(g.quantity) && g.quantity > 0 && g.expires >= q.from && g.expires <= q.to)
    .sort((a, b) => a.expires.localeCompare(b.expires));
}
