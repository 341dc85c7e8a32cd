import { errorCard } from '../../../cards/error.js';
import { noticeCard } from '../../../cards/notice.js';
import type { Card } from '../../feishu/card.js';
import type { IntentName } from '../../domain/intents.js';
import type { HrContact } from '../../config.js';
import type { Logger } from '../../log.js';
import { failureOf, SelfServiceError } from '../../services/errors.js';
import type { BotContext, Reply } from '../context.js';

/**
 * Runs a self-service ask and renders its card, or an error card with a "try again"
 * button for the same slots. Always sensitive: the bot delivers it to the asker only.
 * Never throws: upstream failures were already logged by the service, anything else is
 * logged here by name only (a bug's message could quote HR data).
 *
 * @example
 * return selfServiceAnswer(ctx, { intent: 'payslip', slots, logger },
 *   () => selfService.payslip(ctx.openId, slots, ctx), (result) => payslipCard(result, ctx.t, ctx))
 */
export async function selfServiceAnswer<R>(
  ctx: BotContext,
  opts: { intent: IntentName; slots: Record<string, string | number | undefined>; logger: Logger; hrContact?: HrContact | undefined },
  ask: () => Promise<R>,
  render: (result: R) => Card,
): Promise<Reply> {
  try {
    return { card: render(await ask()), sensitive: true };
  } catch (err) {
    if (!(err instanceof SelfServiceError)) {
      opts.logger.error({ op: opts.intent, errName: err instanceof Error ? err.name : typeof err }, 'self-service card failed');
    }
    const retry = { intent: opts.intent, slots: definedOnly(opts.slots) };
    return { card: errorCard(failureOf(err), ctx.t, ctx, retry, opts.hrContact), sensitive: true };
  }
}

/** "Coming soon" for a self-service intent when no HR system is wired. */
export function comingSoon(ctx: BotContext, intent: IntentName): Reply {
  return { card: noticeCard(ctx.t(`intents.${intent}`), ctx.t('common.comingSoon'), 'grey'), sensitive: false };
}

function definedOnly(slots: Record<string, string | number | undefined>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(slots).filter((e): e is [string, string | number] => e[1] !== undefined));
}
