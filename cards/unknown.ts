import type { Translate } from '../src/i18n.js';
import { buttonRow, card, header, note, runIntentButton } from './common.js';
import type { Card } from './types.js';

/** Intents offered as "Did you mean…" buttons: the ones that need no slot to run. */
export const SUGGESTABLE_INTENTS = [
  'leave.balance',
  'payslip',
  'lump_sum',
  'reminder.subscribe',
  'reminder.unsubscribe',
  'help',
] as const;
export type SuggestableIntent = (typeof SUGGESTABLE_INTENTS)[number];

/**
 * A short, friendly "I did not get that" card with the closest intents as buttons,
 * never silence.
 *
 * @example
 * buildUnknownCard(t, ['leave.balance', 'payslip'])
 */
export function buildUnknownCard(t: Translate, suggestions: readonly SuggestableIntent[], reason: 'text' | 'nonText' = 'text'): Card {
  const picks = suggestions.filter((s) => s !== 'help').slice(0, 3);
  return card(header(t('unknown.title'), 'grey'), [
    { tag: 'markdown', content: reason === 'nonText' ? t('unknown.nonText') : t('unknown.body') },
    ...(picks.length
      ? [
          { tag: 'markdown' as const, content: t('unknown.didYouMean') },
          buttonRow(picks.map((intent, i) => runIntentButton(t(`intents.${intent}`), intent, {}, i === 0 ? 'primary' : 'default', 'new'))),
        ]
      : []),
    note(t('unknown.hrHint')),
    buttonRow([runIntentButton(t('unknown.help'), 'help', {}, 'text', 'new')]),
  ], t('unknown.title'));
}
