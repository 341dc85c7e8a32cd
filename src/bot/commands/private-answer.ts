import { errorCard } from '../../../cards/error.js';
import type { Card } from '../../../cards/types.js';
import type { Logger } from '../../log.js';
import { failureOf, SelfServiceError } from '../../services/errors.js';
import type { BotContext, Reply } from '../context.js';

/**
 * Runs a self-service ask and renders its card, or an error card with a "try again"
 * button for the same slots. Always sensitive: the bot delivers it privately. Never
 * throws: upstream failures were already logged by the service, anything else is
 * logged here by name only (a bug's message could quote HR data).
 *
 * @example
 * return answerPrivately(ctx, { intent: 'payslip', retrySlots: { month } , logger },
 *   () => selfService.payslip(ctx.openId, slots, info), (result) => payslipCard(result, ctx.t, ctx))
 */
export async function answerPrivately<R>(
  ctx: BotContext,
  opts: { intent: string; retrySlots: Record<string, string | number>; logger?: Logger | undefined },
  ask: () => Promise<R>,
  render: (result: R) => Card,
): Promise<Reply> {
  try {
    return { card: render(await ask()), sensitive: true };
  } catch (err) {
    if (!(err instanceof SelfServiceError)) {
      opts.logger?.error({ op: opts.intent, errName: err instanceof Error ? err.name : typeof err }, 'self-service card failed');
    }
    return { card: errorCard(failureOf(err), ctx.t, ctx, { intent: opts.intent, slots: opts.retrySlots }), sensitive: true };
  }
}
