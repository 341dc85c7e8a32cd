import { buildHelpCard } from '../../../cards/help.js';
import type { BotContext, Reply } from '../context.js';

/** `help`: what the bot can do, with buttons that run it. */
export async function helpCommand(ctx: BotContext): Promise<Reply> {
  return { card: buildHelpCard(ctx.t, ctx.locale), sensitive: false };
}
