import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../../src/bot/router/features.js';
import { editDistance, TypoCorrector } from '../../../src/bot/router/fuzzy.js';

describe('editDistance', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('paysilp', 'payslip', 2)).toBe(1);
    expect(editDistance('balence', 'balance', 2)).toBe(1);
    expect(editDistance('abc', 'abc', 1)).toBe(0);
  });

  it('stops early past the budget', () => {
    expect(editDistance('payslip', 'weather', 2)).toBe(3);
  });
});

describe('TypoCorrector', () => {
  const corrector = new TypoCorrector(['payslip', 'balance', 'reminder', 'remind', 'help', 'alter', 'after'], new Set(['alert']));

  it('maps a typo to its word and leaves exact words alone', () => {
    expect(corrector.correct('paysilp')).toBe('payslip');
    expect(corrector.correct('balence')).toBe('balance');
    expect(corrector.correct('remindr')).toBe('reminder');
    expect(corrector.correct('hlep')).toBe('help');
    expect(corrector.correct('after')).toBe('after');
  });

  it('does not correct short words, known words or far-off words', () => {
    expect(corrector.correct('pay')).toBeUndefined();
    expect(corrector.correct('alert')).toBeUndefined();
    expect(corrector.correct('weather')).toBeUndefined();
  });
});

describe('canonicalize', () => {
  it('corrects typos inside mixed text and keeps positions consistent', () => {
    const { text, tokens } = canonicalize('查一下 paysilp 和 leave balence');
    expect(text).toBe('查一下 payslip 和 leave balance');
    for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.text);
  });
});

describe('TypoCorrector memo', () => {
  it('neither corrects nor remembers tokens longer than any vocabulary word can be mistyped into', () => {
    const corrector = new TypoCorrector(['payslip', 'balance']);
    expect(corrector.correct('paysilp')).toBe('payslip');
    const remembered = corrector.memoSize;
    expect(corrector.correct('a'.repeat(4000))).toBeUndefined();
    expect(corrector.correct('payslipxyz')).toBeUndefined();
    expect(corrector.memoSize).toBe(remembered);
  });

  it('stays bounded however many distinct words it sees', () => {
    const corrector = new TypoCorrector(['payslip', 'balance']);
    for (let i = 0; i < 30_000; i++) corrector.correct(`w${i.toString(36)}`);
    expect(corrector.memoSize).toBeLessThanOrEqual(20_000);
  });
});
