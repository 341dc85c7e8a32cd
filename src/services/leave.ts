import type { LeaveProvider, ProviderBalances } from '../domain/hr.js';
import type { LeaveTypeCode } from '../domain/leave-types.js';
import type { LeaveBalanceSlots } from '../domain/slots.js';

export type { CycleFigures, LeaveBalance, LeaveProvider, LeaveQuery, ProviderBalances, YearFigures } from '../domain/hr.js';
export { leaveTypeCodeOf } from '../domain/leave-types.js';

/** The leave answer of one ask: balances ordered for display. */
export interface LeaveBalanceResult extends ProviderBalances {
  provider: LeaveProvider['name'];
  /** The slots this answer is for; the refresh button re-runs them. */
  asked: LeaveBalanceSlots;
  /** The code the person asked about, if any. */
  requested?: LeaveTypeCode;
  /** Leave type ids that match `requested` (shown first, highlighted). */
  highlighted: string[];
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
