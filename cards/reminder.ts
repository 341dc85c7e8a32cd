import type { Translate } from '../src/i18n.js';
import type { LeaveBalance } from '../src/domain/hr.js';
import { nameIn } from '../src/domain/names.js';
import type { CardElement } from '../src/feishu/card.js';
import type { ExpiringGrant } from '../src/reminders/expiring.js';
import { buttonRow, card, escapeMarkdown, header, note, runIntentButton } from './common.js';
import { chunk, fitList } from './fit.js';
import { formatDate, formatQuantity, type CardContext } from './format.js';

const MAX_SHOWN = 30;
const PER_ELEMENT = 10;

/**
 * The scheduled balance reminder: the person's positive balances per type, the grants that
 * lapse within 60 days, and two buttons: the full balance card, and stop these reminders.
 * Buttons run intents for whoever clicks (the card's owner: it is sent by open_id).
 *
 * @example
 * reminderCard(balances, expiring, t, { locale: 'en-US', timeZone: 'Asia/Shanghai', now })
 */
export function reminderCard(balances: readonly LeaveBalance[], expiring: readonly ExpiringGrant[], t: Translate, ctx: CardContext) {
  const positive = balances.filter((b) => valueOf(b) > 0);
  const names = new Map(balances.map((b) => [b.leaveTypeId, nameIn(b.name, ctx.locale, b.leaveTypeId)]));
  return fitList(positive, MAX_SHOWN, (shown, hidden) => {
    const elements: CardElement[] = [{ tag: 'markdown', content: t('reminder.card.intro') }];
    for (const group of chunk(shown, PER_ELEMENT)) {
      elements.push({ tag: 'markdown', content: group.map((b) => balanceLine(b, t, ctx)).join('\n') });
    }
    if (hidden > 0) elements.push(note(t('leave.more', { count: hidden })));
    if (expiring.length > 0) {
      const lines = expiring.map((g) =>
        t('reminder.card.expiring', {
          value: formatQuantity(g.quantity, ctx.locale),
          unit: t(`leave.unit.${g.unit}`, { count: g.quantity }),
          name: escapeMarkdown(names.get(g.leaveTypeId) ?? g.leaveTypeId),
          date: formatDate(g.expires, ctx),
        }),
      );
      elements.push({ tag: 'markdown', content: [t('reminder.card.expiringTitle'), ...lines.map((l) => `- ${l}`)].join('\n') });
    }
    elements.push(note(t('reminder.card.footer')));
    elements.push(
      buttonRow([
        runIntentButton(t('reminder.card.openBalance'), 'leave.balance', {}, 'primary', 'new'),
        runIntentButton(t('reminder.card.stop'), 'reminder.unsubscribe', {}, 'default', 'replace'),
      ]),
    );
    return card(header(t('reminder.card.title'), 'turquoise'), elements, t('reminder.card.title'));
  });
}

const valueOf = (b: LeaveBalance) => (b.figures.kind === 'cycle' ? b.figures.balance : b.figures.available);

function balanceLine(b: LeaveBalance, t: Translate, ctx: CardContext): string {
  const value = valueOf(b);
  return t('reminder.card.balance', {
    name: escapeMarkdown(nameIn(b.name, ctx.locale, b.leaveTypeId)),
    value: formatQuantity(value, ctx.locale),
    unit: t(`leave.unit.${b.unit}`, { count: value }),
  });
}
