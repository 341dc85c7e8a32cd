import type { SuggestableIntent } from '../../cards/unknown.js';
import { parseIntent, type ParsedIntent } from './intents.js';
import { routeIntent } from './router/router.js';
import type { TenantLeaveType } from './router/types.js';

/** Words that hint at an intent even when the router is not confident enough to act. */
const HINTS: ReadonlyArray<readonly [SuggestableIntent, RegExp]> = [
  ['leave.balance', /假|休|leave|vacation|pto|holiday|time off|balance|余额/i],
  ['payslip', /工资|薪|pay|salary|wage|slip/i],
  ['lump_sum', /奖|bonus|一次性|lump|relocation|安家|sign[- ]?on|retention|留任/i],
  ['reminder.subscribe', /提醒|推送|remind|notif|subscribe|订阅/i],
];

const DEFAULT_SUGGESTIONS: readonly SuggestableIntent[] = ['leave.balance', 'payslip', 'lump_sum'];

/**
 * The closest intents for a message the router did not act on: those the message
 * hints at first, then the most asked-for ones, three at most.
 */
export function suggestIntents(text: string): SuggestableIntent[] {
  const hinted = HINTS.filter(([, re]) => re.test(text)).map(([intent]) => intent);
  return [...new Set([...hinted, ...DEFAULT_SUGGESTIONS])].slice(0, 3);
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
