import { helpCard } from '../../../cards/help.js';
import { NoSlots } from '../../domain/slots.js';
import { defineCommand } from './types.js';

/** `help`: what the bot can do (lines from the registry), with buttons that run it. */
export const helpCommand = defineCommand({
  name: 'help',
  slots: NoSlots,
  sensitive: false,
  fromButton: true,
  menu: { key: 'help' },
  suggest: true,
  sameForEveryone: true,
  build: ({ helpLines }) =>
    async (ctx) => ({ card: helpCard(ctx.t, helpLines(ctx.locale, ctx.shared)), sensitive: false }),
});
