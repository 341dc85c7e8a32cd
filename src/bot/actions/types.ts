import type { z } from 'zod';
import type { AccrualFlow } from '../accrual/flow.js';
import type { BotContext, Reply } from '../context.js';
import type { OwnerDelivery } from '../delivery.js';
import type { CardActionResult, IncomingCardAction } from '../events.js';
import type { ParsedIntent } from '../intents/registry.js';

/** What card actions may use, bound once when the bot is built. */
export interface ActionDeps {
  /** Runs an intent; an unexpected failure is already an apology card. */
  runIntent(ctx: BotContext, parsed: ParsedIntent): Promise<Reply>;
  /**
   * Runs an intent as `runIntent` does, showing progress as a typed question does: when an
   * answer with HR data waits ≥ 1 s for its rate-limit slot or is slow, the clicker gets a
   * "looking it up" card at once: `inPlace` turned into it when the bot sent that message to
   * the clicker, else a new one by open_id (`uuid` keeps a re-run from sending it twice).
   * `placeholder` names that message, so that the answer replaces it in place.
   */
  runIntentWithProgress(
    ctx: BotContext,
    parsed: ParsedIntent,
    uuid: string,
    inPlace?: string,
  ): Promise<{ reply: Reply; placeholder: string | undefined }>;
  delivery: OwnerDelivery;
  /** A fresh context for the clicker (e.g. after a language change). */
  contextFor(openId: string): Promise<BotContext>;
  /** The HR accrual-edit flow (submit, approve, reject, retry, form). */
  accrual: AccrualFlow;
}

/** One click, with its value already parsed by the action's schema. */
export interface ActionClick<V> {
  ctx: BotContext;
  value: V;
  action: IncomingCardAction;
}

// Method syntax keeps handlers of different value types assignable to one table type.
interface BoundAction<V> {
  /** Answers within the callback deadline; never with HR data (the delivery rule). */
  handle(click: ActionClick<V>): Promise<CardActionResult>;
  /** Deferred work after a `followUp: true` answer: sensitive data goes out here, by open_id. */
  followUp?(click: ActionClick<V>): Promise<void>;
}

/**
 * One card action, in the manner of Bolt's `app.action` and grammY's `callbackQuery`:
 * the button value's `action` names it, `value` parses the whole button value.
 */
export interface CardActionCommand<N extends string = string, S extends z.ZodType = z.ZodType> {
  name: N;
  value: S;
  build(deps: ActionDeps): BoundAction<z.output<S>>;
}

/** Declares a card action with its value type inferred from the schema. */
export function defineAction<N extends string, S extends z.ZodType>(action: CardActionCommand<N, S>): CardActionCommand<N, S> {
  return action;
}
