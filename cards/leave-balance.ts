import type { Translate } from '../src/i18n.js';
import type { LeaveBalance, LeaveBalanceResult } from '../src/services/leave.js';
import { nameIn } from '../src/domain/names.js';
import { buttonRow, card, escapeMarkdown, header, note, runIntentButton } from './common.js';
import { chunk, fitList } from './fit.js';
import { formatDate, formatMoment, formatQuantity, type CardContext } from './format.js';
import type { CardElement } from '../src/feishu/card.js';

/** More than this many leave types are summarised (the rest are counted, not dropped silently). */
const MAX_SHOWN = 40;
const PER_ELEMENT = 10;

/**
 * The asker's leave balances: the asked-for type first and highlighted, then the rest.
 *
 * @example
 * const c = leaveBalanceCard(result, t, { locale: 'en-US', timeZone: 'Asia/Shanghai', now })
 */
export function leaveBalanceCard(result: LeaveBalanceResult, t: Translate, ctx: CardContext) {
  const subtitle = result.asOf
    ? t('leave.asOf', { date: formatDate(result.asOf, ctx) })
    : result.year !== undefined
      ? t('leave.year', { year: result.year })
      : undefined;
  const h = header(t('leave.title'), 'turquoise', subtitle);
  const highlighted = result.balances.filter((b) => result.highlighted.includes(b.leaveTypeId));
  const others = result.balances.filter((b) => !result.highlighted.includes(b.leaveTypeId));
  const slots = refreshSlots(result);

  return fitList(others, MAX_SHOWN, (shown, hidden) => {
    const elements: CardElement[] = [];
    if (result.balances.length === 0) elements.push({ tag: 'markdown', content: t('leave.empty') });
    if (result.requested && highlighted.length === 0 && result.balances.length > 0) {
      elements.push({ tag: 'markdown', content: t('leave.noMatch', { type: t(`leave.codes.${result.requested}`) }) });
    }
    elements.push(...highlighted.map((b) => highlightBlock(b, t, ctx)));
    if (highlighted.length > 0 && shown.length > 0) elements.push({ tag: 'hr' });
    for (const group of chunk(shown, PER_ELEMENT)) {
      elements.push({ tag: 'markdown', content: group.map((b) => balanceText(b, t, ctx)).join('\n\n') });
    }
    if (hidden > 0) elements.push(note(t('leave.more', { count: hidden })));
    if (result.missing) elements.push(note(t('leave.missing', { count: result.missing })));
    elements.push(note(t('leave.updated', { time: formatMoment(ctx) })));
    elements.push(buttonRow([runIntentButton(t('common.refresh'), 'leave.balance', slots)]));
    return card(h, elements, t('leave.title'));
  });
}

/** The slots the refresh button re-runs with: what was asked, never who asked. */
function refreshSlots(result: LeaveBalanceResult): Record<string, string> {
  const slots: Record<string, string> = {};
  if (result.asked.leaveType) slots.leaveType = result.asked.leaveType;
  if (result.asked.asOf) slots.asOf = result.asked.asOf;
  return slots;
}

function highlightBlock(b: LeaveBalance, t: Translate, ctx: CardContext): CardElement {
  return {
    tag: 'column_set',
    background_style: 'grey',
    columns: [
      {
        tag: 'column',
        width: 'weighted',
        weight: 1,
        elements: [
          { tag: 'markdown', content: headline(b, t, ctx), text_size: 'heading' },
          { tag: 'markdown', content: detail(b, t, ctx), text_size: 'notation' },
        ],
      },
    ],
  };
}

function balanceText(b: LeaveBalance, t: Translate, ctx: CardContext): string {
  return `${headline(b, t, ctx)}\n<font color='grey'>${detail(b, t, ctx)}</font>`;
}

function headline(b: LeaveBalance, t: Translate, ctx: CardContext): string {
  const name = escapeMarkdown(nameIn(b.name, ctx.locale, b.leaveTypeId));
  const value = b.figures.kind === 'cycle' ? b.figures.balance : b.figures.available;
  const unit = t(`leave.unit.${b.unit}`, { count: value });
  const key = b.figures.kind === 'cycle' ? 'leave.left' : 'leave.available';
  return t(key, { name, value: formatQuantity(value, ctx.locale), unit });
}

function detail(b: LeaveBalance, t: Translate, ctx: CardContext): string {
  const q = (n: number) => formatQuantity(n, ctx.locale);
  const f = b.figures;
  return f.kind === 'cycle'
    ? t('leave.cycleDetail', { carriedOver: q(f.carriedOver), granted: q(f.grantedThisCycle), taken: q(f.taken) })
    : t('leave.yearDetail', { total: q(f.total), used: q(f.used), pending: q(f.pending), carriedForward: q(f.carriedForward) });
}
