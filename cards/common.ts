import type { ButtonElement, Card, CardElement, CardHeader, HeaderTemplate } from '../src/feishu/card.js';

/**
 * Where the answer to a click goes: `replace` updates the clicked card (refresh),
 * `new` posts a new card and leaves the clicked one (help and "did you mean" menus).
 */
export type ButtonPlacement = 'replace' | 'new';

/** Button value that asks the bot to run an intent again for whoever clicks (parsed by `src/bot/actions/run-intent.ts`). */
export const RUN_INTENT_ACTION = 'run_intent';

/**
 * A card button that re-runs an intent for the person who clicks it. The value never
 * names a person: the bot always answers for the clicker (`operator.open_id`).
 *
 * @example
 * runIntentButton(t('common.refresh'), 'payslip', { month: '2025-01' })
 */
export function runIntentButton(
  label: string,
  intent: string,
  slots: Record<string, string | number> = {},
  type: ButtonElement['type'] = 'default',
  placement: ButtonPlacement = 'replace',
): ButtonElement {
  return {
    tag: 'button',
    text: { tag: 'plain_text', content: label },
    type,
    behaviors: [
      { type: 'callback', value: { action: RUN_INTENT_ACTION, intent, slots: JSON.stringify(slots), placement } },
    ],
  };
}

/** Plain header with a colour. */
export function header(title: string, template: HeaderTemplate = 'blue', subtitle?: string): CardHeader {
  return {
    title: { tag: 'plain_text', content: title },
    ...(subtitle ? { subtitle: { tag: 'plain_text', content: subtitle } } : {}),
    template,
  };
}

/**
 * A Card JSON 2.0 card with the bot's defaults. Pay cards pass `forwardable: false`, so
 * nobody forwards their payslip to a group in one tap.
 */
export function card(h: CardHeader, elements: CardElement[], summary?: string, opts: { forwardable?: boolean } = {}): Card {
  return {
    schema: '2.0',
    config: {
      update_multi: true,
      ...(opts.forwardable === false ? { enable_forward: false } : {}),
      ...(summary ? { summary: { content: summary } } : {}),
    },
    header: h,
    body: { elements },
  };
}

/** Buttons side by side (a column set that flows on narrow screens). */
export function buttonRow(buttons: ButtonElement[]): CardElement {
  return {
    tag: 'column_set',
    flex_mode: 'flow',
    horizontal_spacing: '8px',
    columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
  };
}

/** Escapes text that came from people or upstream systems before it goes into lark_md. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_~[\]()<>#|]/g, (c) => `\\${c}`);
}

/** Small grey note, e.g. an error code for HR support. */
export function note(content: string): CardElement {
  return { tag: 'markdown', content, text_size: 'notation' };
}
