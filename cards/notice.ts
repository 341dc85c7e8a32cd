import type { Card, ButtonElement, HeaderTemplate } from '../src/feishu/card.js';
import { buttonRow, card, header } from './common.js';

/**
 * A small card with a title, one paragraph and optional buttons: confirmations,
 * privacy notices, "coming soon".
 *
 * @example
 * noticeCard('Language changed', 'I will reply in English.', 'green')
 */
export function noticeCard(
  title: string,
  body: string,
  template: HeaderTemplate = 'blue',
  buttons: ButtonElement[] = [],
): Card {
  return card(header(title, template), [
    { tag: 'markdown', content: body },
    ...(buttons.length ? [buttonRow(buttons)] : []),
  ], title);
}
