import { z } from 'zod';
import { LOCALES, type Locale } from '../../domain/locales.js';
import type { Card } from '../../feishu/card.js';

/**
 * The button-value field that says which language the clicked card was written in. A
 * click carries no message text, so without it the answer could only fall back to
 * DEFAULT_LOCALE. Two letters keep every value small; the registry strips it before an
 * action's own schema sees the value.
 */
export const CLICK_LOCALE_FIELD = 'lc';

/** The field on the way back in: a supported locale, or nothing (older cards, bilingual cards). */
const ClickLocale = z.object({ [CLICK_LOCALE_FIELD]: z.enum(LOCALES) });

/**
 * The language of the card a click came from, when its button value says so (validated).
 *
 * @example
 * clickLocaleOf({ action: 'run_intent', intent: 'help', lc: 'en-US' }) // 'en-US'
 * clickLocaleOf({ action: 'run_intent', intent: 'help', lc: 'fr' })    // undefined
 */
export function clickLocaleOf(value: Record<string, unknown>): Locale | undefined {
  const parsed = ClickLocale.safeParse(value);
  return parsed.success ? parsed.data[CLICK_LOCALE_FIELD] : undefined;
}

/** The button value without the locale field, for the action's own (possibly strict) schema. */
export function withoutClickLocale(value: Record<string, unknown>): Record<string, unknown> {
  if (!(CLICK_LOCALE_FIELD in value)) return value;
  const rest = { ...value };
  delete rest[CLICK_LOCALE_FIELD];
  return rest;
}

/**
 * The card with `lc: locale` in every callback button value that names an action (the
 * registry's `action` field), nested buttons included. Cards are plain JSON, so a copy
 * is made; the input is left as it is.
 *
 * @example
 * withClickLocale(helpCard(t, lines), 'en-US') // every run_intent button value gains lc: 'en-US'
 */
export function withClickLocale(card: Card, locale: Locale): Card {
  const stamp = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(stamp);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) out[key] = stamp(child);
    if (out.type === 'callback' && isActionValue(out.value)) out.value = { ...out.value, [CLICK_LOCALE_FIELD]: locale };
    return out;
  };
  return { ...card, body: { elements: stamp(card.body.elements) as Card['body']['elements'] } };
}

function isActionValue(value: unknown): value is Record<string, string | number | boolean> {
  return typeof value === 'object' && value !== null && typeof (value as { action?: unknown }).action === 'string';
}
