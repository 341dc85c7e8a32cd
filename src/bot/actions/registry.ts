import type { CardActionResult, IncomingCardAction } from '../events.js';
import type { BotContext } from '../context.js';
import {
  accrualApproveAction,
  accrualCancelAction,
  accrualFormAction,
  accrualRejectAction,
  accrualRetryAction,
  accrualSubmitAction,
} from './accrual.js';
import { withoutClickLocale } from './click-locale.js';
import { runIntentAction } from './run-intent.js';
import type { ActionDeps, CardActionCommand } from './types.js';

/**
 * The card-action table: button value `action` → its schema and handler. Approve, reject,
 * submit and reminder buttons join here, one module each.
 */
export const ACTIONS = {
  [runIntentAction.name]: runIntentAction,
  [accrualSubmitAction.name]: accrualSubmitAction,
  [accrualCancelAction.name]: accrualCancelAction,
  [accrualApproveAction.name]: accrualApproveAction,
  [accrualRejectAction.name]: accrualRejectAction,
  [accrualRetryAction.name]: accrualRetryAction,
  [accrualFormAction.name]: accrualFormAction,
} as const satisfies Record<string, CardActionCommand>;

export const ACTION_LIST: ReadonlyArray<CardActionCommand> = Object.values(ACTIONS);

/** The language of the card a click came from, if its button value carries a valid one. */
export { clickLocaleOf, withClickLocale } from './click-locale.js';

/** Runs card actions: parse the value with its action's schema, then handle or follow up. */
export interface CardActions {
  /** Undefined when the value names no known action or fails its schema: the caller toasts "invalid". */
  handle(ctx: BotContext, action: IncomingCardAction): Promise<CardActionResult | undefined>;
  followUp(ctx: BotContext, action: IncomingCardAction): Promise<void>;
}

/**
 * Binds every action's dependencies once.
 *
 * @example
 * const actions = buildActions({ runIntent, runIntentWithProgress, delivery, contextFor, accrual })
 * const result = (await actions.handle(ctx, action)) ?? invalidToast
 */
export function buildActions(deps: ActionDeps): CardActions {
  const bound = new Map(ACTION_LIST.map((a) => [a.name, { command: a, handlers: a.build(deps) }]));

  function resolve(action: IncomingCardAction) {
    const name = action.value.action;
    const entry = typeof name === 'string' ? bound.get(name) : undefined;
    if (!entry) return undefined;
    // The locale field belongs to the registry (see `click-locale.ts`), not to the action.
    const parsed = entry.command.value.safeParse(withoutClickLocale(action.value));
    return parsed.success ? { handlers: entry.handlers, value: parsed.data as unknown } : undefined;
  }

  return {
    async handle(ctx, action) {
      const found = resolve(action);
      return found ? found.handlers.handle({ ctx, value: found.value, action }) : undefined;
    },
    async followUp(ctx, action) {
      const found = resolve(action);
      await found?.handlers.followUp?.({ ctx, value: found.value, action });
    },
  };
}
