import { z } from 'zod';
import type { GrantValues } from '../../domain/accrual-edit.js';
import { apiPath } from '../../feishu/apis.js';
import type { FeishuApi } from '../../feishu/types.js';
import { LangText } from './i18n.js';

/**
 * One record of `GET /open-apis/attendance/v1/leave_employ_expire_records/:leave_id`
 * (通过过期时间获取发放记录), in the shape its documentation gives for `data.records[]`:
 * https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/attendance-v1/leave_employ_expire_record/get
 * (the node SDK's generated typing of `attendance.leaveEmployExpireRecord.get` lists the
 * same fields). Where the record came from is `accrual_source`: 1 granted by the system
 * (not editable, seed 001), 2 by hand, 3 by an external system, 4 virtual, 5 imported
 * from an old system, 6 converted from overtime. Fields the documentation marks required
 * are required here, the rest optional; unknown fields are dropped.
 */
export const ExpireRecord = z.object({
  id: z.string(),
  employment_id: z.string(),
  leave_type_id: z.string(),
  granting_quantity: z.string(),
  left_granting_quantity: z.string().optional(),
  /** 1 day, 2 hour. */
  granting_unit: z.number().int(),
  effective_date: z.string().optional(),
  expiration_date: z.string(),
  reason: z.array(LangText).optional(),
  is_update_by_external: z.boolean().optional(),
  accrual_source: z.number().int(),
  leave_sub_type_id: z.string().optional(),
  section_type: z.number().int().optional(),
});
export type ExpireRecord = z.output<typeof ExpireRecord>;

/** The GET's `data`: the employee's records of the leave type expiring in the window. */
export const ExpireRecords = z.object({ records: z.array(ExpireRecord).optional().default([]) });

/**
 * The PATCH's `data.record` (seed 001, `leave_accrual_record`): it names the source
 * `granted_by` (1 system, 2 by hand, 3 external). Only its presence matters here.
 */
const PatchAnswer = z.object({
  record: z
    .object({ id: z.string(), granting_quantity: z.string().optional(), expiration_date: z.string().optional(), granted_by: z.number().int().optional() })
    .optional(),
});

/** Accrual source 1: the system granted it, and such records cannot be edited. */
const SYSTEM_SOURCE = 1;

/** Grant records are looked up by expiry date; this window (years either side of today) covers any editable one. */
const LOOKUP_YEARS = 5;

/**
 * Minutes east of UTC in `timeZone` at `now` (Feishu's `time_offset`, 480 for Asia/Shanghai).
 *
 * @example timeOffsetMinutes('Asia/Shanghai', new Date()) // 480
 */
export function timeOffsetMinutes(timeZone: string, now: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(now)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** What the lookup found for the record the requester named. */
export type GrantLookup =
  | { kind: 'found'; before: GrantValues & { unit: 'day' | 'hour' } }
  | { kind: 'missing' }
  | { kind: 'otherOwner' }
  | { kind: 'system' };

export interface GrantQuery {
  employeeOpenId: string;
  leaveTypeId: string;
  recordId: string;
  today: string;
  timeOffset: number;
}

function shiftYears(date: string, years: number): string {
  return `${Number(date.slice(0, 4)) + years}${date.slice(4, 10).replace('-02-29', '-02-28')}`;
}

/**
 * Finds one grant record among an employee's records of a leave type
 * (`GET …/leave_employ_expire_records/:leave_id` with a JSON body, open_id ids).
 * Throws FeishuApiError when it cannot be looked up.
 */
export async function findGrantRecord(api: FeishuApi, q: GrantQuery): Promise<GrantLookup> {
  const data = await api.call(
    'attendance.expireRecords',
    {
      method: 'GET',
      url: apiPath('attendance.expireRecords', { leave_id: q.leaveTypeId }),
      params: { user_id_type: 'open_id' },
      data: {
        employment_id: q.employeeOpenId,
        leave_type_id: q.leaveTypeId,
        start_expiration_date: shiftYears(q.today, -LOOKUP_YEARS),
        end_expiration_date: shiftYears(q.today, LOOKUP_YEARS),
        time_offset: q.timeOffset,
      },
    },
    ExpireRecords,
  );
  const record = data.records.find((r) => r.id === q.recordId);
  if (!record) return { kind: 'missing' };
  if (record.employment_id !== q.employeeOpenId) return { kind: 'otherOwner' };
  if (record.accrual_source === SYSTEM_SOURCE) return { kind: 'system' };
  return {
    kind: 'found',
    before: { quantity: record.granting_quantity, expirationDate: record.expiration_date, unit: record.granting_unit === 2 ? 'hour' : 'day' },
  };
}

export interface GrantPatch {
  employeeOpenId: string;
  leaveTypeId: string;
  recordId: string;
  after: GrantValues;
  /** The reason in Chinese and in English (`lang_text`). */
  reason: { zh: string; en: string };
  timeOffset: number;
}

/** The PATCH body of seed 001: open_id as employment id, quantity as a string, reason in both languages. */
export function grantPatchBody(p: GrantPatch) {
  return {
    leave_granting_record_id: p.recordId,
    employment_id: p.employeeOpenId,
    leave_type_id: p.leaveTypeId,
    reason: [
      { lang: 'zh_CN', value: p.reason.zh },
      { lang: 'en_US', value: p.reason.en },
    ],
    time_offset: p.timeOffset,
    ...(p.after.expirationDate ? { expiration_date: p.after.expirationDate } : {}),
    ...(p.after.quantity !== undefined ? { quantity: p.after.quantity } : {}),
  };
}

/** Edits the record's quantity and/or expiry. Throws FeishuApiError with Feishu's code on failure. */
export async function patchGrantRecord(api: FeishuApi, p: GrantPatch): Promise<void> {
  await api.call(
    'attendance.accrualPatch',
    {
      method: 'PATCH',
      url: apiPath('attendance.accrualPatch', { leave_id: p.leaveTypeId }),
      params: { user_id_type: 'open_id' },
      data: grantPatchBody(p),
    },
    PatchAnswer,
  );
}
