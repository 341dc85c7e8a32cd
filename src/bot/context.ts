import type { Card } from '../../cards/types.js';
import type { Locale } from '../config.js';
import type { Translate } from '../i18n.js';

import type { LeaveTypeCode } from '../domain/leave-types.js';

export { LEAVE_TYPE_CODES, type LeaveTypeCode } from '../domain/leave-types.js';

/** Who asked, where, in which language, and when: one per message or card click. */
export interface BotContext {
  /** The asker (message sender or the person who clicked). All HR data is theirs only. */
  openId: string;
  chatId: string | undefined;
  /** True when the conversation is the asker's private chat with the bot. */
  isPrivate: boolean;
  locale: Locale;
  t: Translate;
  now: Date;
  /** Time zone for dates shown to people (REMINDER_TIMEZONE). */
  timeZone: string;
}

/**
 * What a handler answers with. `sensitive` cards carry the person's own HR data: the
 * bot delivers them only in the person's private chat (in a group it sends them
 * privately and posts a notice without figures).
 */
export interface Reply {
  card: Card;
  sensitive: boolean;
}

export interface LeaveBalanceSlots {
  leaveType?: LeaveTypeCode;
  /** YYYY-MM-DD */
  asOf?: string;
}

export interface PayslipSlots {
  /** YYYY-MM; absent = the latest month with data. */
  month?: string;
}

export interface LumpSumSlots {
  year?: number;
}
