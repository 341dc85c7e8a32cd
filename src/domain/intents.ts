/** The intent contract's names: everything the bot understands, plus `unknown`. */
export const INTENT_NAMES = [
  'leave.balance',
  'payslip',
  'lump_sum',
  'accrual.edit',
  'reminder.subscribe',
  'reminder.unsubscribe',
  'language.set',
  'help',
  'unknown',
] as const;
export type IntentName = (typeof INTENT_NAMES)[number];

/** True for a string that names an intent. */
export function isIntentName(value: unknown): value is IntentName {
  return typeof value === 'string' && (INTENT_NAMES as readonly string[]).includes(value);
}
