import type { Translate } from '../src/i18n.js';
import type { ButtonElement, CardElement } from '../src/feishu/card.js';
import { buttonRow, card, header, note, runIntentButton } from './common.js';
import type { Card } from '../src/feishu/card.js';

/** One line of the help card and the button that tries it (keys into the catalogues). */
export interface HelpLine {
  /** Catalogue key of the line, e.g. `help.payslip`. */
  line: string;
  button?: { label: string; intent: string; slots: Record<string, string | number> };
}

/** Buttons per row; the first button of the card is the primary one. */
const PER_ROW = 3;

/**
 * The help card: what the bot can do, example phrases, and buttons that run them for
 * whoever clicks. The lines come from the intent registry, in its order.
 *
 * @example
 * helpCard(t, [{ line: 'help.payslip', button: { label: 'help.btnPayslip', intent: 'payslip', slots: {} } }])
 */
export function helpCard(t: Translate, lines: readonly HelpLine[]): Card {
  const buttons: ButtonElement[] = lines.flatMap(({ button }, i) =>
    button ? [runIntentButton(t(button.label), button.intent, button.slots, i === 0 ? 'primary' : 'default', 'new')] : [],
  );
  const rows: CardElement[] = [];
  for (let i = 0; i < buttons.length; i += PER_ROW) rows.push(buttonRow(buttons.slice(i, i + PER_ROW)));
  return card(header(t('help.title'), 'blue'), [
    { tag: 'markdown', content: t('help.intro') },
    { tag: 'markdown', content: lines.map(({ line }) => `- ${t(line)}`).join('\n') },
    note(t('help.privacy')),
    { tag: 'hr' },
    { tag: 'markdown', content: t('help.tryIt') },
    ...rows,
  ], t('help.title'));
}
