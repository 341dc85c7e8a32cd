import { describe, expect, it } from 'vitest';
import zh from '../../locales/zh-CN.json' with { type: 'json' };
import en from '../../locales/en-US.json' with { type: 'json' };
import { RUN_INTENT_ACTION } from '../../cards/common.js';
import { helpCard } from '../../cards/help.js';
import { unknownCard } from '../../cards/unknown.js';
import { CARD_MAX_BYTES, cardBytes, type Card } from '../../src/feishu/card.js';
import { LOCALES } from '../../src/domain/locales.js';
import { helpLines, parseIntent, SUGGESTABLE_INTENTS } from '../../src/bot/intents/registry.js';
import { createI18n } from '../../src/i18n.js';
import { callbackValues } from '../support/card-values.js';

const i18n = createI18n();


/** Leaf keys of a nested catalogue, with plural suffixes folded. */
function keysOf(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keysOf(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k.replace(/_(one|other)$/, '')}`],
  );
}

describe.each(LOCALES)('help and unknown cards in %s', (locale) => {
  const t = i18n.t(locale);
  const cards: Array<[string, Card]> = [
    ['help', helpCard(t, helpLines(locale))],
    ['unknown', unknownCard(t, ['payslip', 'leave.balance', 'lump_sum'])],
    ['unknown (non-text)', unknownCard(t, [], 'nonText')],
  ];

  it.each(cards)('%s is Card JSON 2.0 under 30 KB with no missing text', (_name, card) => {
    expect(card.schema).toBe('2.0');
    expect(cardBytes(card)).toBeLessThan(CARD_MAX_BYTES);
    const json = JSON.stringify(card);
    // An i18next key left untranslated shows up as its own dotted path.
    expect(json).not.toMatch(/"(help|unknown|intents|common)\.[a-zA-Z]+"/);
  });

  it.each(cards)('every button of %s runs a valid intent and names nobody', (_name, card) => {
    for (const value of callbackValues(card)) {
      expect(value.action).toBe(RUN_INTENT_ACTION);
      expect(parseIntent(value.intent, JSON.parse(String(value.slots)))).toBeDefined();
      expect(JSON.stringify(value)).not.toMatch(/ou_|open_id|user_id/);
    }
  });

  it('offers "did you mean" buttons for the closest intents, at most three', () => {
    const card = unknownCard(t, [...SUGGESTABLE_INTENTS]);
    const intents = callbackValues(card).map((v) => v.intent);
    expect(intents.filter((i) => i !== 'help')).toHaveLength(3);
  });
});

describe('message catalogues', () => {
  it('zh-CN and en-US have the same keys', () => {
    expect(new Set(keysOf(zh))).toEqual(new Set(keysOf(en)));
  });
});
