import { buildUnknownCard, type SuggestableIntent } from '../../../cards/unknown.js';
import type { BotContext, Reply } from '../context.js';

/** `unknown`: a friendly "did you mean…" card, never silence. */
export async function unknownCommand(
  ctx: BotContext,
  suggestions: readonly SuggestableIntent[],
  reason: 'text' | 'nonText' = 'text',
): Promise<Reply> {
  return { card: buildUnknownCard(ctx.t, suggestions, reason), sensitive: false };
}
