import type { Translate } from '../src/i18n.js';
import type { PayslipItem, PayslipResult } from '../src/services/payslip.js';
import { nameIn } from '../src/domain/names.js';
import { buttonRow, card, escapeMarkdown, header, note, runIntentButton } from './common.js';
import { chunk, fitList } from './fit.js';
import { formatAmount, formatDate, formatMonth, formatPercent, formatQuantity, type CardContext } from './format.js';
import type { CardElement } from '../src/feishu/card.js';

/** More items than this are summarised; Feishu Payroll shows the full payslip. */
const MAX_SHOWN = 120;
const PER_ELEMENT = 20;

interface Line {
  payment: number;
  /** 1-based place of the item within its payment (names an item that came without a name). */
  position: number;
  item: PayslipItem;
}

/**
 * The asker's payslip for one month: every accounting item, named in the reader's
 * language and formatted by its type. Only ever delivered privately.
 *
 * @example
 * const c = payslipCard(result, t, { locale: 'zh-CN', timeZone: 'Asia/Shanghai', now })
 */
export function payslipCard(result: PayslipResult, t: Translate, ctx: CardContext) {
  const h = header(t('payslip.title'), 'indigo', result.month ? formatMonth(result.month, ctx.locale) : undefined);
  const lines: Line[] = result.payments.flatMap((p, payment) => p.items.map((item, i) => ({ payment, position: i + 1, item })));
  const refresh = buttonRow([runIntentButton(t('common.refresh'), 'payslip', { ...result.asked })]);

  return fitList(lines, MAX_SHOWN, (shown, hidden) => {
    const elements: CardElement[] = [];
    if (lines.length === 0) elements.push({ tag: 'markdown', content: emptyText(result, t, ctx) });
    for (const [payment, group] of groupByPayment(shown)) {
      if (result.payments.length > 1) {
        elements.push({ tag: 'markdown', content: `**${t('payslip.payment', { index: payment + 1, total: result.payments.length })}**` });
      }
      for (const part of chunk(group, PER_ELEMENT)) {
        elements.push({ tag: 'markdown', content: part.map((line) => itemLine(line, t, ctx)).join('\n') });
      }
    }
    if (hidden > 0) elements.push(note(t('payslip.more', { count: hidden })));
    elements.push(note(t('payslip.privacy')));
    elements.push(refresh);
    return card(h, elements, t('payslip.title'), { forwardable: false });
  });
}

function emptyText(result: PayslipResult, t: Translate, ctx: CardContext): string {
  return result.asked.month
    ? t('payslip.empty', { month: formatMonth(result.asked.month, ctx.locale) })
    : t('payslip.emptyLatest', { count: result.searched.length });
}

function groupByPayment(lines: readonly Line[]): Array<[number, Line[]]> {
  const groups = new Map<number, Line[]>();
  for (const line of lines) groups.set(line.payment, [...(groups.get(line.payment) ?? []), line]);
  return [...groups.entries()];
}

function itemLine({ item, position }: Line, t: Translate, ctx: CardContext): string {
  // Seed 002 names every item; one that came without a name gets its place, never its raw id.
  const name = escapeMarkdown(nameIn(item.name, ctx.locale, t('payslip.unnamedItem', { index: position })));
  return t('payslip.line', { name, value: formatItemValue(item, ctx) });
}

/**
 * An accounting item's value by its type (seed 002: 1 text, 2 amount, 3 number,
 * 4 percent, 5 date, 6 reference), escaped for markdown.
 *
 * @example
 * formatItemValue({ id: '1', name: {}, type: 'amount', value: '8000' }, ctx) // '8,000.00'
 */
export function formatItemValue(item: PayslipItem, ctx: CardContext): string {
  switch (item.type) {
    case 'amount':
      return escapeMarkdown(formatAmount(item.value, ctx.locale));
    case 'number':
      return escapeMarkdown(formatQuantity(item.value, ctx.locale, 4));
    case 'percent':
      return escapeMarkdown(formatPercent(item.value, ctx.locale));
    case 'date':
      return escapeMarkdown(formatDate(item.value, ctx));
    case 'reference':
      return escapeMarkdown(item.reference ? nameIn(item.reference, ctx.locale, item.value || '—') : item.value || '—');
    case 'text':
      return escapeMarkdown(item.value || '—');
  }
}
