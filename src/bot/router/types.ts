/**
 * The router's output contract (see ../shared/intents/README.md): nine intents,
 * each with its own slots, all normalised to plain strings and numbers.
 */

// The vocabulary lives in src/domain; the router speaks it.
export type { IntentName } from '../../domain/intents.js';
export type { LeaveTypeCode } from '../../domain/leave-types.js';
export type { Locale } from '../../domain/locales.js';
export type { Slots } from '../../domain/slots.js';
import type { IntentName } from '../../domain/intents.js';
import type { LeaveTypeCode } from '../../domain/leave-types.js';
import type { Slots } from '../../domain/slots.js';
import type { IntentModel } from './model/classifier.js';

export { SLOTS_BY_INTENT } from '../../domain/slots.js';

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
  /**
   * The HR flow's reading: a proposal to edit someone's grant record that gives no record
   * id still routes to `accrual.edit` (its form asks for the record). Off for the intent
   * contract's output, whose `accrual.edit` always carries `recordId`.
   */
  incompleteEdits?: boolean;
  /**
   * The statistical layer: left out, the shipped model; `null`, rules alone (for comparison
   * and for evaluating a model trained on other folds).
   */
  model?: IntentModel | null;
}

/** One intent the message may mean, with its slots. */
export interface RouteAlternative {
  intent: IntentName;
  slots: Slots;
}

export interface RouteResult {
  intent: IntentName;
  slots: Slots;
  /** 0..1; below the router's threshold the intent is `unknown`. */
  confidence: number;
  /**
   * Set when the two best intents are too close to call (the model's calibrated margin):
   * the best and the runner-up, for a "did you mean … or …?" question.
   */
  alternatives?: [RouteAlternative, RouteAlternative];
}
