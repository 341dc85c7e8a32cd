import { z } from 'zod';
import { isRealDate } from './calendar.js';
import { INTENT_NAMES } from './intents.js';
import { LEAVE_TYPE_CODES } from './leave-types.js';
import { LOCALES } from './locales.js';

/**
 * Slot values and the slots of each intent: the one schema for years, months and dates.
 * Router output and card-button values pass through these once, at the boundary; handlers
 * and services trust what they get.
 */

/** A whole year people plausibly ask about. */
export const YearSlot = z.coerce.number().int().min(2000).max(2100);
/** `YYYY-MM`, month 01–12. */
export const MonthSlot = z.string().regex(/^\d{4}-(?:0[1-9]|1[0-2])$/);
/** `YYYY-MM-DD` naming a day that exists. */
export const DateSlot = z
  .string()
  .regex(/^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/)
  .refine(isRealDate, { message: 'no such day' });
/** A CoreHR grant-record id: 19 digits, too long for a JS number. */
export const RecordIdSlot = z.string().regex(/^\d{19}$/);
/** A decimal quantity as written, e.g. `"2.5"` or `"-1"`. */
export const QuantitySlot = z.string().regex(/^-?\d+(?:\.\d+)?$/);

export const LeaveBalanceSlots = z.object({ leaveType: z.enum(LEAVE_TYPE_CODES).optional(), asOf: DateSlot.optional() }).strip();
export type LeaveBalanceSlots = z.output<typeof LeaveBalanceSlots>;

/** Absent month = the latest month with data. */
export const PayslipSlots = z.object({ month: MonthSlot.optional() }).strip();
export type PayslipSlots = z.output<typeof PayslipSlots>;

export const LumpSumSlots = z.object({ year: YearSlot.optional() }).strip();
export type LumpSumSlots = z.output<typeof LumpSumSlots>;

/** `accrual.edit` as the intent contract has it (what the router emits). */
export const AccrualEditRoutedSlots = z
  .object({
    recordId: RecordIdSlot,
    quantity: QuantitySlot.optional(),
    expirationDate: DateSlot.optional(),
    reason: z.string().max(3000).optional(),
  })
  .strip();

/**
 * What the HR flow takes: the contract's slots plus what the bot reads from the text itself
 * — the leave type, and whether it gave a relative change ("减少1.5天", "deduct 2 days") that
 * is not the new quantity; the record id may be missing (the proposal form asks for it).
 */
export const AccrualEditSlots = AccrualEditRoutedSlots.extend({
  recordId: RecordIdSlot.optional(),
  leaveType: z.enum(LEAVE_TYPE_CODES).optional(),
  relativeChange: z.literal(true).optional(),
}).strip();
export type AccrualEditSlots = z.output<typeof AccrualEditSlots>;

export const LanguageSetSlots = z.object({ locale: z.enum(LOCALES) }).strip();
export type LanguageSetSlots = z.output<typeof LanguageSetSlots>;

/** `unknown` carries what the bot worked out about the message: the closest intents and why it gave up. */
export const UnknownSlots = z
  .object({
    suggestions: z.array(z.enum(INTENT_NAMES)).max(3).default([]),
    /** `unsure`: two intents were too close to call, `choices` holds both. */
    reason: z.enum(['text', 'nonText', 'unsure']).default('text'),
    choices: z
      .array(z.object({ intent: z.enum(INTENT_NAMES), slots: z.record(z.string(), z.union([z.string(), z.number()])) }))
      .length(2)
      .optional(),
  })
  .strip();
export type UnknownSlots = z.output<typeof UnknownSlots>;

export const NoSlots = z.object({}).strip();
export type NoSlots = z.output<typeof NoSlots>;

/** The slot schema of each intent as the router emits it (`unknown` carries none there). */
const ROUTED_SLOT_SCHEMAS = {
  'leave.balance': LeaveBalanceSlots,
  payslip: PayslipSlots,
  lump_sum: LumpSumSlots,
  'accrual.edit': AccrualEditRoutedSlots,
  'reminder.subscribe': NoSlots,
  'reminder.unsubscribe': NoSlots,
  'language.set': LanguageSetSlots,
  help: NoSlots,
  unknown: NoSlots,
} as const satisfies Record<(typeof INTENT_NAMES)[number], z.ZodObject>;

/** Which slots each intent may carry, in output order: read off the schemas above. */
export const SLOTS_BY_INTENT = Object.fromEntries(
  Object.entries(ROUTED_SLOT_SCHEMAS).map(([intent, schema]) => [intent, Object.keys(schema.shape)]),
) as unknown as Readonly<Record<(typeof INTENT_NAMES)[number], readonly (keyof Slots)[]>>;

/**
 * Every slot any intent may carry, as the router emits them (which ones appear depends
 * on the intent; absent ones are left out, never null).
 */
export interface Slots {
  leaveType?: LeaveBalanceSlots['leaveType'];
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
  locale?: LanguageSetSlots['locale'];
}
