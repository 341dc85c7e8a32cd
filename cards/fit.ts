import { CARD_MAX_BYTES, CARD_MAX_COMPONENTS, cardBytes, cardComponents, type Card } from '../src/feishu/card.js';

/** Room left for the message envelope around the card. */
const SAFETY_BYTES = 1024;

function tooBig(card: Card): boolean {
  return cardBytes(card) > CARD_MAX_BYTES - SAFETY_BYTES || cardComponents(card) > CARD_MAX_COMPONENTS;
}

/**
 * Builds a card from a list, showing as many items as fit under Feishu's limits (30 KB,
 * 200 components) and at most `maxShown`. The builder is told how many it left out so the card can
 * say so: lists are summarised, never silently cut.
 *
 * @example
 * fitList(items, 80, (shown, hidden) => card(h, [...shown.map(line), ...(hidden ? [note(more(hidden))] : [])]))
 */
export function fitList<T>(items: readonly T[], maxShown: number, build: (shown: readonly T[], hidden: number) => Card): Card {
  let count = Math.min(items.length, maxShown);
  let built = build(items.slice(0, count), items.length - count);
  while (tooBig(built) && count > 0) {
    count = Math.floor(count * 0.8);
    built = build(items.slice(0, count), items.length - count);
  }
  return built;
}

/**
 * Joins lines into markdown elements of at most `perElement` lines, so a long list
 * stays within the 200-components-per-card limit.
 */
export function chunk<T>(items: readonly T[], perElement: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += perElement) out.push(items.slice(i, i + perElement));
  return out;
}
