import { z } from 'zod';
import { LEAVE_TYPE_CODES } from './context.js';

/** The nine intents of the contract (`../shared/intents/README.md`). */
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

const isoDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);
const empty = z.object({}).strip();

/**
 * Slots each intent accepts. Router output and card-button values both pass through
 * these before a handler runs, so a forged button value can only carry well-formed
 * slots, and never a person.
 */
export const SLOT_SCHEMAS = {
  'leave.balance': z.object({ leaveType: z.enum(LEAVE_TYPE_CODES).optional(), asOf: isoDate.optional() }).strip(),
  payslip: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional() }).strip(),
  lump_sum: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }).strip(),
  'accrual.edit': z
    .object({
      recordId: z.string().regex(/^\d{19}$/),
      quantity: z.string().regex(/^-?\d+(\.\d+)?$/).optional(),
      expirationDate: isoDate.optional(),
      reason: z.string().max(3000).optional(),
    })
    .strip(),
  'reminder.subscribe': empty,
  'reminder.unsubscribe': empty,
  'language.set': z.object({ locale: z.enum(['zh-CN', 'en-US']) }).strip(),
  help: empty,
  unknown: empty,
} as const satisfies Record<IntentName, z.ZodType>;

export type SlotsOf<I extends IntentName> = z.output<(typeof SLOT_SCHEMAS)[I]>;

/** An intent with slots that passed its schema. */
export type ParsedIntent = { [I in IntentName]: { intent: I; slots: SlotsOf<I> } }[IntentName];

/**
 * Validates an intent name and its slots from an untrusted source.
 *
 * @example
 * parseIntent('payslip', { month: '2025-01' }) // { intent: 'payslip', slots: { month: '2025-01' } }
 * parseIntent('payslip', { month: 'x' })       // undefined
 */
export function parseIntent(name: unknown, slots: unknown): ParsedIntent | undefined {
  if (typeof name !== 'string' || !(INTENT_NAMES as readonly string[]).includes(name)) return undefined;
  const intent = name as IntentName;
  const parsed = SLOT_SCHEMAS[intent].safeParse(slots ?? {});
  if (!parsed.success) return undefined;
  return { intent, slots: parsed.data } as ParsedIntent;
}
