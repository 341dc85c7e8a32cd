import { card, header } from './common.js';
import type { Card, ButtonElement, HeaderTemplate } from './types.js';
import { buttonRow } from './common.js';

/**
 * A small card with a title, one paragraph and optional buttons: confirmations,
 * privacy notices, "coming soon".
 *
 * @example
 * buildNoticeCard('Language changed', 'I will reply in English.', 'green')
 */
export function buildNoticeCard(
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
