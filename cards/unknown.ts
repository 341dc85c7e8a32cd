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
export function unknownCard(t: Translate, suggestions: readonly string[], reason: 'text' | 'nonText' | 'unsure' = 'text'): Card {
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

/** One intent the message may have meant, with the slots read from it. */
export interface Choice {
  intent: string;
  slots: Record<string, string | number>;
}

/**
 * "Did you mean … or …?" when two intents are too close to call: both as buttons carrying the
 * slots read from the message, so one click answers it, plus the help button.
 *
 * @example
 * unsureCard(t, [{ intent: 'lump_sum', slots: {} }, { intent: 'payslip', slots: { month: '2025-01' } }])
 */
export function unsureCard(t: Translate, [a, b]: readonly [Choice, Choice]): Card {
  const question = t('unknown.unsure', { a: t(`intents.${a.intent}`), b: t(`intents.${b.intent}`) });
  return card(header(t('unknown.unsureTitle'), 'blue'), [
    { tag: 'markdown', content: question },
    buttonRow([
      runIntentButton(t(`intents.${a.intent}`), a.intent, a.slots, 'primary', 'replace'),
      runIntentButton(t(`intents.${b.intent}`), b.intent, b.slots, 'primary', 'replace'),
    ]),
    buttonRow([runIntentButton(t('unknown.help'), 'help', {}, 'text', 'new')]),
  ], question);
}
