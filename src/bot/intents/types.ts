import type { PersonZone } from '../person-zone.js';
import type { z } from 'zod';
import type { HelpLine } from '../../../cards/help.js';
import type { Config } from '../../config.js';
import type { IntentName } from '../../domain/intents.js';
import type { Locale } from '../../domain/locales.js';
import type { I18n } from '../../i18n.js';
import type { Logger } from '../../log.js';
import type { SelfService } from '../../services/self-service.js';
import type { StoreKeys } from '../../store/keys.js';
import type { Store } from '../../store/types.js';
import type { AccrualFlow } from '../accrual/flow.js';
import type { BotContext, Reply } from '../context.js';

/** Everything an intent's handler may use, bound once when the bot is built. */
export interface IntentDeps {
  config: Config;
  store: Store;
  keys: StoreKeys;
  i18n: I18n;
  logger: Logger;
  /** Employee self-service; without it those intents say "coming soon". */
  selfService?: SelfService | undefined;
  /** The HR accrual-edit flow; without it `accrual.edit` says "coming soon". */
  accrual?: AccrualFlow | undefined;
  /**
   * A person's time zone (Feishu contact, cached briefly), or the app's with `own: false`;
   * without it every time is shown in the app's zone (`REMINDER_TIMEZONE`), named as such.
   */
  personZone?: ((openId: string) => Promise<PersonZone>) | undefined;
  /** The help card's lines in the reader's language, in registry order (built from the table itself). */
  helpLines: (locale: Locale, shared?: boolean) => HelpLine[];
}

// Method syntax keeps handlers of different slot types assignable to one table type.
type Bivariant<S> = { handle(ctx: BotContext, slots: S): Promise<Reply> }['handle'];

/** A handler with its dependencies bound: every intent has this one shape. */
export type IntentHandler<S> = Bivariant<S>;

/**
 * One intent of the registry. Adding an intent = its lexicon entry in the router, one
 * module exporting one of these (listed in `registry.ts`), its card, and its catalogue
 * keys (`intents.<name>`, and `help.*` when it is on the help card).
 */
export interface IntentCommand<N extends IntentName = IntentName, S extends z.ZodType = z.ZodType> {
  name: N;
  /** Validates router output and button values once, at the boundary. */
  slots: S;
  /** Carries HR data: delivered only to the asker, by open_id. */
  sensitive: boolean;
  /** May be run from a card button (`run_intent`); never for intents that write HR data. */
  fromButton: boolean;
  /** Offered as a "did you mean" button (needs no slot to run). */
  suggest: boolean;
  /**
   * Its card depends only on the reader's language (no person's data, no stored choice):
   * answered in a group, it is posted in both languages so that every reader sees their own.
   */
  sameForEveryone?: boolean;
  /**
   * The bot-menu item that runs it: the `event_key` to give the item (type "push event") in
   * the developer console, and its slots for the reader (a menu click carries no text).
   */
  menu?: { key: string; slots?: (locale: Locale) => Record<string, string | number> };
  /** Its line on the help card (catalogue key) and the label and slots of the button that tries it. */
  help?: { line: string; button?: string; slots?: (locale: Locale) => Record<string, string | number> };
  build(deps: IntentDeps): IntentHandler<z.output<S>>;
}

/**
 * Declares an intent with its types inferred from the slot schema.
 *
 * @example
 * export const helpCommand = defineCommand({ name: 'help', slots: NoSlots, sensitive: false,
 *   fromButton: true, suggest: true, build: (deps) => async (ctx) => ({ card: helpCard(ctx.t, deps.helpLines(ctx.locale)), sensitive: false }) })
 */
export function defineCommand<N extends IntentName, S extends z.ZodType>(command: IntentCommand<N, S>): IntentCommand<N, S> {
  return command;
}
