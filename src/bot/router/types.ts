/**
 * The router's output contract (see ../shared/intents/README.md): nine intents,
 * each with its own slots, all normalised to plain strings and numbers.
 */

/** Everything the bot understands, plus `unknown` for everything it does not serve. */
export type IntentName =
  | 'leave.balance'
  | 'payslip'
  | 'lump_sum'
  | 'accrual.edit'
  | 'reminder.subscribe'
  | 'reminder.unsubscribe'
  | 'language.set'
  | 'help'
  | 'unknown';

export type { LeaveTypeCode } from '../../domain/leave-types.js';
import type { LeaveTypeCode } from '../../domain/leave-types.js';

/** The reply languages the bot has catalogues for. */
export type Locale = 'zh-CN' | 'en-US';

/**
 * Every slot any intent may carry. Which ones appear depends on the intent
 * (see {@link SLOTS_BY_INTENT}); absent ones are left out, never null.
 */
export interface Slots {
  leaveType?: LeaveTypeCode;
  /** `YYYY-MM-DD` */
  asOf?: string;
  /** `YYYY-MM` */
  month?: string;
  year?: number;
  /** 19 digits, as a string: too long for a JS number. */
  recordId?: string;
  /** Decimal as a string, e.g. `"2.5"`. */
  quantity?: string;
  /** `YYYY-MM-DD` */
  expirationDate?: string;
  /** Free text, kept as written. */
  reason?: string;
  locale?: Locale;
}

/** Which slots each intent may carry, in output order. */
export const SLOTS_BY_INTENT: Readonly<Record<IntentName, readonly (keyof Slots)[]>> = {
  'leave.balance': ['leaveType', 'asOf'],
  payslip: ['month'],
  lump_sum: ['year'],
  'accrual.edit': ['recordId', 'quantity', 'expirationDate', 'reason'],
  'reminder.subscribe': [],
  'reminder.unsubscribe': [],
  'language.set': ['locale'],
  help: [],
  unknown: [],
};

/** A tenant's own leave type, as listed by CoreHR; `code` when already known. */
export interface TenantLeaveType {
  name: string;
  code?: LeaveTypeCode;
}

export interface RouteOptions {
  /** The instant relative dates are resolved against. */
  now: Date;
  /** IANA zone the asker lives in, e.g. `Asia/Shanghai`. */
  timeZone: string;
  leaveTypes?: TenantLeaveType[];
}

export interface RouteResult {
  intent: IntentName;
  slots: Slots;
  /** 0..1; below the router's threshold the intent is `unknown`. */
  confidence: number;
}
