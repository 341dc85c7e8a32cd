/** One term per concept in each catalogue: the words people see match the cards they get. */
import { describe, expect, it } from 'vitest';
import en from '../locales/en-US.json' with { type: 'json' };
import zh from '../locales/zh-CN.json' with { type: 'json' };

/** For each concept: the one term a catalogue uses, and the variants it must not. */
const TERMS: Array<{ catalogue: unknown; use: string; not: readonly string[] }> = [
  { catalogue: zh, use: '一次性支付', not: ['一次性奖金', '一次性付款'] },
  { catalogue: en, use: 'one-time payment', not: ['lump-sum payment', 'lump sum payment', 'one-off payment'] },
];

describe('catalogue terms', () => {
  it.each(TERMS.map((t, i) => [i, t] as const))('term %i: one word for the concept', (_i, { catalogue, use, not }) => {
    const text = JSON.stringify(catalogue).toLowerCase();
    expect(text).toContain(use.toLowerCase());
    for (const variant of not) expect(text, variant).not.toContain(variant.toLowerCase());
  });
});
