import { unknownCard } from '../../../cards/unknown.js';
import { UnknownSlots } from '../../domain/slots.js';
import { defineCommand } from './types.js';

/** `unknown`: a friendly "did you mean…" card with the closest intents, never silence. */
export const unknownCommand = defineCommand({
  name: 'unknown',
  slots: UnknownSlots,
  sensitive: false,
  fromButton: false,
  suggest: false,
  sameForEveryone: true,
  build: () =>
    async (ctx, slots) => ({ card: unknownCard(ctx.t, slots.suggestions, slots.reason), sensitive: false }),
});
