import type { z } from 'zod';
import type { HelpLine } from '../../../cards/help.js';
import { INTENT_NAMES, isIntentName, type IntentName } from '../../domain/intents.js';
import type { Locale } from '../../domain/locales.js';
import type { BotContext, Reply } from '../context.js';
import { accrualEditCommand } from './accrual-edit.js';
import { helpCommand } from './help.js';
import { languageSetCommand } from './language-set.js';
import { leaveBalanceCommand } from './leave-balance.js';
import { lumpSumCommand } from './lump-sum.js';
import { payslipCommand } from './payslip.js';
import { reminderSubscribeCommand, reminderUnsubscribeCommand } from './reminder.js';
import type { IntentCommand, IntentDeps, IntentHandler } from './types.js';
import { unknownCommand } from './unknown.js';

/**
 * The intent table: one entry per intent of the contract, in help-card order. Dispatch,
 * the help card, "did you mean" and button validation all read it; nothing else lists intents.
 */
export const INTENTS = {
  'leave.balance': leaveBalanceCommand,
  payslip: payslipCommand,
  lump_sum: lumpSumCommand,
  'reminder.subscribe': reminderSubscribeCommand,
  'reminder.unsubscribe': reminderUnsubscribeCommand,
  'language.set': languageSetCommand,
  help: helpCommand,
  'accrual.edit': accrualEditCommand,
  unknown: unknownCommand,
} as const satisfies { [N in IntentName]: IntentCommand<N> };

export type SlotsOf<N extends IntentName> = z.output<(typeof INTENTS)[N]['slots']>;

/** An intent with slots that passed its schema. */
export type ParsedIntent = { [N in IntentName]: { intent: N; slots: SlotsOf<N> } }[IntentName];

/** The table as a list, in its order. */
export const INTENT_LIST: ReadonlyArray<IntentCommand> = Object.values(INTENTS);

/** Intents offered as "did you mean" buttons. */
export const SUGGESTABLE_INTENTS: readonly IntentName[] = INTENT_LIST.filter((c) => c.suggest).map((c) => c.name);

/**
 * Validates an intent name and its slots from an untrusted source (router output or a button).
 *
 * @example
 * parseIntent('payslip', { month: '2025-01' }) // { intent: 'payslip', slots: { month: '2025-01' } }
 * parseIntent('payslip', { month: 'x' })       // undefined
 */
export function parseIntent(name: unknown, slots: unknown): ParsedIntent | undefined {
  if (!isIntentName(name)) return undefined;
  const parsed = INTENTS[name].slots.safeParse(slots ?? {});
  if (!parsed.success) return undefined;
  return { intent: name, slots: parsed.data } as ParsedIntent;
}

/**
 * The help card's lines for a reader, from the table. On a `shared` card (a group, both
 * languages) buttons whose slots depend on the reader's language are left out.
 */
export function helpLines(locale: Locale, shared = false): HelpLine[] {
  return INTENT_LIST.flatMap((c): HelpLine[] => {
    if (!c.help) return [];
    const { line, button, slots } = c.help;
    const withButton = button && !(shared && slots);
    return [{ line, ...(withButton ? { button: { label: button, intent: c.name, slots: slots?.(locale) ?? {} } } : {}) }];
  });
}

/** The bot-menu items: `event_key` → intent, in table order (README and the app manifest list them for the console). */
export const MENU_ITEMS: ReadonlyArray<{ eventKey: string; intent: IntentName }> = INTENT_LIST.flatMap((c) =>
  c.menu ? [{ eventKey: c.menu.key, intent: c.name }] : [],
);

/**
 * The intent a bot-menu click runs, with its slots for the reader; undefined for a key no
 * intent claims.
 *
 * @example
 * menuIntent('payslip', 'zh-CN') // { intent: 'payslip', slots: {} }
 */
export function menuIntent(key: string, locale: Locale): ParsedIntent | undefined {
  const command = INTENT_LIST.find((c) => c.menu?.key === key);
  return command?.menu ? parseIntent(command.name, command.menu.slots?.(locale) ?? {}) : undefined;
}

/** Runs a parsed intent for the person in `ctx`. */
export type RunIntent = (ctx: BotContext, parsed: ParsedIntent) => Promise<Reply>;

/**
 * Binds every intent's dependencies once and returns the dispatcher.
 *
 * @example
 * const run = buildIntents({ config, store, keys, i18n, logger, selfService })
 * const reply = await run(ctx, { intent: 'help', slots: {} })
 */
export function buildIntents(deps: Omit<IntentDeps, 'helpLines'>): RunIntent {
  const full: IntentDeps = { ...deps, helpLines };
  const handlers = new Map<IntentName, IntentHandler<unknown>>(
    INTENT_NAMES.map((name) => [name, (INTENTS[name] as IntentCommand).build(full)]),
  );
  return (ctx, parsed) => {
    const handler = handlers.get(parsed.intent);
    if (!handler) throw new Error(`no handler for intent ${parsed.intent}`);
    return handler(ctx, parsed.slots);
  };
}
