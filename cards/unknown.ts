import type { Translate } from '../src/i18n.js';
import type { Card } from '../src/feishu/card.js';
import { buttonRow, card, header, note, runIntentButton } from './common.js';

/**
 * A short, friendly "I did not get that" card with the closest intents (from the intent
 * registry's suggestable ones) as buttons, never silence.
 *
 * @example
 * unknownCard(t, ['leave.balance', 'payslip'])
 */
export function unknownCard(t: Translate, suggestions: readonly string[], reason: 'text' | 'nonText' = 'text'): Card {
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
