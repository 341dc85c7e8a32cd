import type { IntentName } from '../domain/intents.js';
import { INTENTS, parseIntent, SUGGESTABLE_INTENTS, type ParsedIntent } from './intents/registry.js';
import { cleanText, foldText } from './router/normalize.js';
import { relatedIntents, routeIntent } from './router/router.js';
import { extractLeaveType } from './router/slots/leave-type.js';
import { hasRelativeChange } from './router/slots/quantity.js';
import type { TenantLeaveType } from './router/types.js';

const DEFAULT_SUGGESTIONS: readonly IntentName[] = ['leave.balance', 'payslip', 'lump_sum'];

function isSuggestable(intent: string): intent is IntentName {
  return (SUGGESTABLE_INTENTS as readonly string[]).includes(intent);
}

/**
 * The closest intents for a message the router did not act on: those whose topics it
 * touches first, then the most asked-for ones, three at most.
 */
export function suggestIntents(text: string): IntentName[] {
  const related = relatedIntents(text).filter(isSuggestable);
  return [...new Set([...related, ...DEFAULT_SUGGESTIONS])].slice(0, 3);
}

/**
 * Text → a validated intent; for `unknown`, its slots carry the "did you mean" suggestions.
 *
 * @example
 * understand('payslip Jan', { now: new Date('2025-03-15T04:00:00Z'), timeZone: 'Asia/Shanghai' })
 * // { intent: 'payslip', slots: { month: '2025-01' } }
 */
export function understand(text: string, opts: { now: Date; timeZone: string; leaveTypes?: TenantLeaveType[] }): ParsedIntent {
  // The HR flow's reading: an edit proposal without a record id reaches its form.
  const routed = routeIntent(text, { ...opts, incompleteEdits: true });
  // The intent contract gives accrual edits no leave type; the HR flow reads it from the text itself.
  const edit = routed.intent === 'accrual.edit' ? foldText(cleanText(text)) : undefined;
  const leaveType = edit !== undefined ? extractLeaveType(edit, opts.leaveTypes) : undefined;
  // "减少1.5天" / "deduct 2 days" is a change, not the new quantity: the flow asks for the new total.
  const relativeChange = edit !== undefined && routed.slots.quantity === undefined && hasRelativeChange(edit);
  const slots = { ...routed.slots, ...(leaveType ? { leaveType } : {}), ...(relativeChange ? { relativeChange } : {}) };
  // Two intents too close to call, both runnable from a button: ask which one.
  const choices = routed.alternatives?.filter((a) => INTENTS[a.intent].fromButton && parseIntent(a.intent, a.slots));
  if (choices?.length === 2) {
    const flat = (slots: object) => Object.fromEntries(Object.entries(slots).filter(([, v]) => typeof v === 'string' || typeof v === 'number'));
    const ask = parseIntent('unknown', { reason: 'unsure', choices: choices.map((c) => ({ intent: c.intent, slots: flat(c.slots) })) });
    if (ask) return ask;
  }
  const parsed = routed.intent === 'unknown' ? undefined : parseIntent(routed.intent, slots);
  return parsed ?? { intent: 'unknown', slots: { suggestions: suggestIntents(text), reason: 'text' } };
}
