import { SUGGESTABLE_INTENTS, type SuggestableIntent } from '../../cards/unknown.js';
import { parseIntent, type ParsedIntent } from './intents.js';
import { relatedIntents, routeIntent } from './router/router.js';
import type { TenantLeaveType } from './router/types.js';

const DEFAULT_SUGGESTIONS: readonly SuggestableIntent[] = ['leave.balance', 'payslip', 'lump_sum'];

function isSuggestable(intent: string): intent is SuggestableIntent {
  return (SUGGESTABLE_INTENTS as readonly string[]).includes(intent);
}

/**
 * The closest intents for a message the router did not act on: those whose topics it
 * touches first, then the most asked-for ones, three at most.
 */
export function suggestIntents(text: string): SuggestableIntent[] {
  const related = relatedIntents(text).filter(isSuggestable);
  return [...new Set([...related, ...DEFAULT_SUGGESTIONS])].slice(0, 3);
}

/**
 * Text → a validated intent plus "did you mean" suggestions.
 *
 * @example
 * understand('payslip Jan', { now: new Date('2025-03-15T04:00:00Z'), timeZone: 'Asia/Shanghai' })
 * // { parsed: { intent: 'payslip', slots: { month: '2025-01' } }, suggestions: [...] }
 */
export function understand(
  text: string,
  opts: { now: Date; timeZone: string; leaveTypes?: TenantLeaveType[] },
): { parsed: ParsedIntent; suggestions: SuggestableIntent[] } {
  const routed = routeIntent(text, opts);
  const parsed = parseIntent(routed.intent, routed.slots) ?? { intent: 'unknown', slots: {} };
  return { parsed, suggestions: parsed.intent === 'unknown' ? suggestIntents(text) : [] };
}
