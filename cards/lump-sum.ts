import type { Translate } from '../src/i18n.js';
import type { LumpSumIssuance, LumpSumPayment, LumpSumResult } from '../src/services/lump-sum.js';
import { nameIn } from '../src/domain/names.js';
import { buttonRow, card, escapeMarkdown, header, note, runIntentButton } from './common.js';
import { fitList } from './fit.js';
import { formatAmount, formatDate, type CardContext } from './format.js';
import type { CardElement } from '../src/feishu/card.js';

/** More payments than this are summarised; Feishu Compensation shows them all. */
const MAX_SHOWN = 30;

/**
 * The asker's one-time payments: item name, total, remark, the issuance rule in the
 * reader's language and each issuance (amount, status, way, date). Amounts carry their
 * currency when it was resolved.
 *
 * @example
 * const c = lumpSumCard(result, t, { locale: 'en-US', timeZone: 'Asia/Shanghai', now })
 */
export function lumpSumCard(result: LumpSumResult, t: Translate, ctx: CardContext) {
  const subtitle = result.year !== undefined ? t('lumpSum.yearSubtitle', { year: result.year }) : t('lumpSum.allYears');
  const h = header(t('lumpSum.title'), 'violet', subtitle);
  const refresh = buttonRow([runIntentButton(t('common.refresh'), 'lump_sum', { ...result.asked })]);

  return fitList(result.payments, MAX_SHOWN, (shown, hidden) => {
    const elements: CardElement[] = [];
    if (result.payments.length === 0) {
      const empty = result.year !== undefined ? t('lumpSum.emptyYear', { year: result.year }) : t('lumpSum.empty');
      elements.push({ tag: 'markdown', content: empty });
    }
    shown.forEach((payment, i) => {
      if (i > 0) elements.push({ tag: 'hr' });
      elements.push({ tag: 'markdown', content: paymentText(payment, t, ctx) });
    });
    if (hidden > 0) elements.push(note(t('lumpSum.more', { count: hidden })));
    elements.push(refresh);
    return card(h, elements, t('lumpSum.title'), { forwardable: false });
  });
}

function paymentText(p: LumpSumPayment, t: Translate, ctx: CardContext): string {
  // The pay item's name when Feishu could name it, else a generic label: never its raw id.
  const item = p.itemName ? nameIn(p.itemName, ctx.locale, '') : '';
  const lines = [
    `**${escapeMarkdown(item || t('lumpSum.unnamedItem'))}**`,
    t('lumpSum.total', { amount: escapeMarkdown(formatAmount(p.totalAmount, ctx.locale, p.currency)) }),
  ];
  const description = nameIn(p.description, ctx.locale, '');
  if (description) lines.push(escapeMarkdown(description));
  if (p.remark) lines.push(t('lumpSum.remark', { remark: escapeMarkdown(p.remark) }));
  if (p.referencePeriod.start && p.referencePeriod.end) {
    lines.push(t('lumpSum.period', { start: formatDate(p.referencePeriod.start, ctx), end: formatDate(p.referencePeriod.end, ctx) }));
  }
  lines.push(...p.issuances.map((i) => issuanceLine(i, t, ctx)));
  return lines.join('\n');
}

function issuanceLine(i: LumpSumIssuance, t: Translate, ctx: CardContext): string {
  return t('lumpSum.issuance', {
    date: i.date ? formatDate(i.date, ctx) : t('lumpSum.noDate'),
    amount: escapeMarkdown(formatAmount(i.amount, ctx.locale, i.currency)),
    status: label(t, 'lumpSum.status', i.status),
    way: label(t, 'lumpSum.way', i.way),
  });
}

/** A known enum value's label; an unknown one is shown as sent (escaped), never dropped. */
function label(t: Translate, prefix: string, value: string | undefined): string {
  if (!value) return '—';
  const key = `${prefix}.${value}`;
  const text = t(key, { defaultValue: '' });
  return text && text !== key ? text : escapeMarkdown(value);
}
