import type { Translate } from '../src/i18n.js';
import type { Locale } from '../src/config.js';
import { buttonRow, card, header, note, runIntentButton } from './common.js';
import type { Card } from './types.js';

/**
 * The help card: what the bot can do, example phrases, and buttons that run them
 * for whoever clicks.
 *
 * @example
 * buildHelpCard(t, 'en-US')
 */
export function buildHelpCard(t: Translate, locale: Locale): Card {
  const otherLocale: Locale = locale === 'zh-CN' ? 'en-US' : 'zh-CN';
  return card(header(t('help.title'), 'blue'), [
    { tag: 'markdown', content: t('help.intro') },
    {
      tag: 'markdown',
      content: [t('help.leave'), t('help.payslip'), t('help.lumpSum'), t('help.reminder'), t('help.language')]
        .map((line) => `- ${line}`)
        .join('\n'),
    },
    note(t('help.privacy')),
    { tag: 'hr' },
    { tag: 'markdown', content: t('help.tryIt') },
    buttonRow([
      runIntentButton(t('help.btnLeave'), 'leave.balance', {}, 'primary', 'new'),
      runIntentButton(t('help.btnPayslip'), 'payslip', {}, 'default', 'new'),
      runIntentButton(t('help.btnLumpSum'), 'lump_sum', {}, 'default', 'new'),
    ]),
    buttonRow([
      runIntentButton(t('help.btnReminder'), 'reminder.subscribe', {}, 'default', 'new'),
      runIntentButton(t('help.btnLanguage'), 'language.set', { locale: otherLocale }, 'default', 'new'),
    ]),
  ], t('help.title'));
}
