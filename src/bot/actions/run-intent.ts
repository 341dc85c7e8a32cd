import { z } from 'zod';
import { RUN_INTENT_ACTION } from '../../../cards/common.js';
import { INTENTS, parseIntent } from '../intents/registry.js';
import { defineAction } from './types.js';

/** The `slots` of a button: a JSON object string (Card JSON values are flat) or an object. */
const ButtonSlots = z.union([z.string(), z.record(z.string(), z.unknown())]).optional();

/**
 * `run_intent` button values: `{ action, intent, slots, placement }`. The intent must be one
 * that buttons may run, its slots must pass the intent's own schema, and nothing in the
 * value names a person: the bot always answers for the clicker.
 */
export const RunIntentValue = z
  .object({
    action: z.literal(RUN_INTENT_ACTION),
    intent: z.string(),
    slots: ButtonSlots,
    placement: z.unknown().optional().transform((p): 'new' | 'replace' => (p === 'new' ? 'new' : 'replace')),
  })
  .transform((value, ctx) => {
    const parsed = parseIntent(value.intent, slotsOf(value.slots));
    if (!parsed || !INTENTS[parsed.intent].fromButton) {
      ctx.addIssue({ code: 'custom', message: 'not an intent a button may run' });
      return z.NEVER;
    }
    return { parsed, placement: value.placement };
  });

/** The button's slots as an object; anything else fails the intent's schema (`false`). */
function slotsOf(raw: z.output<typeof ButtonSlots>): unknown {
  if (typeof raw !== 'string') return raw ?? {};
  try {
    const slots: unknown = JSON.parse(raw);
    return typeof slots === 'object' && slots !== null && !Array.isArray(slots) ? slots : false;
  } catch {
    return false;
  }
}

/**
 * Re-runs an intent for whoever clicks. Sensitive intents answer with a toast only and send
 * the data afterwards (`followUp`): as an update of the clicked card when the bot sent that
 * card to the clicker, else as a new message to the clicker by open_id; a slow answer first
 * shows a "looking it up" card (the clicked card itself when it is the clicker's own, else a
 * new one by open_id), which the answer then replaces. Other intents answer
 * in the callback (`replace`) or with a new card sent to the clicker (`new`).
 */
export const runIntentAction = defineAction({
  name: RUN_INTENT_ACTION,
  value: RunIntentValue,
  build: ({ runIntent, runIntentWithProgress, delivery, contextFor }) => ({
    async handle({ ctx, value, action }) {
      const { parsed, placement } = value;
      if (INTENTS[parsed.intent].sensitive) {
        const toast = placement === 'replace' ? ctx.t('action.refreshing') : ctx.t('privacy.toastSent');
        return { toast: { type: 'success', content: toast }, followUp: true };
      }
      const reply = await runIntent(ctx, parsed);
      // A language change answers in the new language; so does the toast.
      const after = parsed.intent === 'language.set' ? await contextFor(ctx.openId) : ctx;
      if (placement === 'replace') return { card: reply.card };
      await delivery.sendToOwner(ctx.openId, reply.card, `${action.eventId}-a`);
      return { toast: { type: 'success', content: after.t('action.done') } };
    },
    async followUp({ ctx, value, action }) {
      const clicked = value.placement === 'replace' ? action.openMessageId : undefined;
      // A slow answer first shows "looking it up": in the clicked card when it is the clicker's
      // own (a Refresh), else as a new message by open_id. The answer goes where that went,
      // else into the clicked card if it is the clicker's own, else to the clicker by open_id.
      const { reply, placeholder } = await runIntentWithProgress(ctx, value.parsed, `${action.eventId}-w`, clicked);
      await delivery.updateOrSend(placeholder ?? clicked, ctx.openId, reply.card, `${action.eventId}-f`);
    },
  }),
});
