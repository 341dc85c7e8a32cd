import { describe, expect, it } from 'vitest';
import { assignFolds, languageOf, scoreRoutes, type CorpusRow } from '../../../../src/bot/router/model/evaluate.js';

const row = (text: string, family: string, intent: CorpusRow['intent'] = 'help'): CorpusRow => ({ text, intent, slots: {}, family, file: 't' });

describe('assignFolds', () => {
  it('puts every family in one fold, the same for the same seed, spread over all folds', () => {
    const rows = Array.from({ length: 60 }, (_, i) => row(`m${i}`, `f/${i % 20}`));
    const a = assignFolds(rows, 5, 7);
    expect(a.size).toBe(20);
    expect(assignFolds(rows, 5, 7)).toEqual(a);
    expect(new Set(a.values())).toEqual(new Set([0, 1, 2, 3, 4]));
    expect([...a.values()].filter((f) => f === 0)).toHaveLength(4);
    expect(assignFolds(rows, 5, 8)).not.toEqual(a);
  });
});

describe('languageOf', () => {
  it('tells Chinese, English and mixed messages apart, ignoring mentions', () => {
    expect(languageOf('我的年假')).toBe('zh');
    expect(languageOf('@_user_1 我的年假')).toBe('zh');
    expect(languageOf('PTO balance?')).toBe('en');
    expect(languageOf('我的AL还剩几天')).toBe('mixed');
  });
});

describe('scoreRoutes', () => {
  it('counts intent, exact slots without reason, unknown recall, false unknowns and the confusion table', () => {
    const rows: CorpusRow[] = [
      { text: 'payslip jan', intent: 'payslip', slots: { month: '2025-01' }, family: 'a', file: 't' },
      { text: 'payslip feb', intent: 'payslip', slots: { month: '2025-02' }, family: 'a', file: 't' },
      { text: 'weather', intent: 'unknown', slots: {}, family: 'b', file: 't' },
      { text: 'help', intent: 'help', slots: {}, family: 'c', file: 't' },
    ];
    const r = scoreRoutes(rows, [
      { intent: 'payslip', slots: { month: '2025-01' }, confidence: 1 },
      { intent: 'payslip', slots: { month: '2025-03' }, confidence: 1 },
      { intent: 'help', slots: {}, confidence: 1 },
      { intent: 'unknown', slots: {}, confidence: 1 },
    ]);
    expect(r.overall).toEqual({ total: 4, intentOk: 2, slotsOk: 1 });
    expect(r.unknownRecall).toBe(0);
    expect(r.falseUnknownRate).toBeCloseTo(1 / 3);
    expect(r.confusion.unknown).toEqual({ help: 1 });
    expect(r.confusion.help).toEqual({ unknown: 1 });
    expect(r.byIntent.payslip).toEqual({ total: 2, intentOk: 2, slotsOk: 1, predicted: 2 });
  });
});
