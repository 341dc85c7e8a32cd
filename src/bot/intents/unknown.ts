import { unknownCard, unsureCard } from '../../../cards/unknown.js';
import { UnknownSlots } from '../../domain/slots.js';
import { defineCommand } from './types.js';

/** `unknown`: a friendly "did you mean…" card with the closest intents, never silence; "… or …?" when two were too close to call. */
export const unknownCommand = defineCommand({
  name: 'unknown',
  slots: UnknownSlots,
  sensitive: false,
  fromButton: false,
  suggest: false,
  sameForEveryone: true,
  build: () =>
    async (ctx, slots) => {
      const [a, b] = slots.choices ?? [];
      const card = slots.reason === 'unsure' && a && b ? unsureCard(ctx.t, [a, b]) : unknownCard(ctx.t, slots.suggestions, slots.reason);
      return { card, sensitive: false };
    },
});
