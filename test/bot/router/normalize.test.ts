import { describe, expect, it } from 'vitest';
import { cleanText, FOLD, FOLDABLE, normalizeText, tokenize } from '../../../src/bot/router/normalize.js';

describe('normalizeText', () => {
  it('folds full-width digits and punctuation (NFKC) and lower-cases', () => {
    expect(normalizeText('１月工资条？ＰＡＹＳＬＩＰ')).toBe('1月工资条?payslip');
  });

  it('drops Feishu mention placeholders and emoji, and collapses whitespace', () => {
    expect(normalizeText('@_user_1   my PTO? 🙏🏽')).toBe('my pto?');
    expect(normalizeText('@_all 👍 hi\t\nthere')).toBe('hi there');
  });

  it('joins Chinese characters split by spaces and folds traditional characters', () => {
    expect(normalizeText('工 资 条')).toBe('工资条');
    expect(normalizeText('查詢 餘額')).toBe('查询余额');
  });

  it('keeps case for free text', () => {
    expect(cleanText('reason: Overtime in Feb ✅')).toBe('reason: Overtime in Feb');
  });
});

describe('tokenize', () => {
  it('keeps contractions as one word and splits hyphens', () => {
    expect(tokenize("what's my sign-on bonus").map((t) => t.text)).toEqual(['whats', 'my', 'sign', 'on', 'bonus']);
  });
});

describe('traditional-character folding', () => {
  it('lists in its literal pattern exactly the characters it folds', () => {
    const inPattern = new Set(FOLDABLE.source.slice(1, -1));
    expect([...FOLD.keys()].filter((ch) => !inPattern.has(ch))).toEqual([]);
    expect([...inPattern].filter((ch) => !FOLD.has(ch))).toEqual([]);
  });
});
