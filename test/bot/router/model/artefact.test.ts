import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildArtefact } from '../../../../scripts/train-router-lib.js';
import { IntentModelArtefact, loadIntentModel } from '../../../../src/bot/router/model/classifier.js';
import { corpusFiles, corpusHash } from '../../../../src/bot/router/model/evaluate.js';
import { extractFeatures, featureList } from '../../../../src/bot/router/model/features.js';
import { MAX_ROUTED_CHARS, ruleViewOf, shippedModel } from '../../../../src/bot/router/router.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const ARTEFACT = fileURLToPath(new URL('../../../../src/bot/router/data/intent-model.json', import.meta.url));
const ROUTE = { now: new Date('2025-03-15T04:00:00Z'), timeZone: 'Asia/Shanghai' };

const committed = (): IntentModelArtefact => IntentModelArtefact.parse(JSON.parse(readFileSync(ARTEFACT, 'utf8')));

// Training runs five folds plus the final model: well under a minute, but the machine is shared.
describe('the shipped intent model', { timeout: 180_000 }, () => {
  it('was trained on the committed corpus (else: npm run train:router)', () => {
    expect(committed().corpusHash).toBe(corpusHash(corpusFiles(`${ROOT}test/bot/router`)));
  });

  it('is byte for byte what the trainer makes of the committed corpus', () => {
    expect(buildArtefact(ROOT).json).toBe(readFileSync(ARTEFACT, 'utf8'));
  });

  it('is small, calibrated and covers every intent of the contract', () => {
    const a = committed();
    expect(readFileSync(ARTEFACT).length).toBeLessThan(400 * 1024);
    expect([...a.classes].sort()).toEqual(
      ['accrual.edit', 'help', 'language.set', 'leave.balance', 'lump_sum', 'payslip', 'reminder.subscribe', 'reminder.unsubscribe', 'unknown'],
    );
    expect(a.temperature).toBeGreaterThan(0);
    expect(a.askMargin).toBeGreaterThanOrEqual(0);
    expect(a.askMargin).toBeLessThanOrEqual(0.5);
  });

  it('gives probabilities that sum to one, best first', () => {
    const view = ruleViewOf('我的年假还剩几天', ROUTE);
    if (!view) throw new Error('no view');
    const ranked = shippedModel().predict(view);
    expect(ranked[0]?.intent).toBe('leave.balance');
    expect(ranked.reduce((s, r) => s + r.p, 0)).toBeCloseTo(1, 9);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.p).toBeGreaterThanOrEqual(ranked[i]!.p);
  });
});

describe('loadIntentModel', () => {
  it('refuses an artefact of another layout, feature version or with a bad class index', () => {
    const good = committed();
    expect(() => loadIntentModel({ ...good, version: 99 })).toThrow();
    expect(() => loadIntentModel({ ...good, featureVersion: 99 })).toThrow();
    expect(() => loadIntentModel({ ...good, weights: good.weights.slice(1) })).toThrow(/differ in length/);
    expect(() => loadIntentModel({ ...good, features: ['bias'], weights: [[42, 1]] })).toThrow(/bad class index/);
    expect(() => loadIntentModel({ ...good, temperature: 0 })).toThrow();
  });
});

describe('extractFeatures', () => {
  const count = (text: string): number => {
    const view = ruleViewOf(text, ROUTE);
    if (!view) throw new Error('over the cap');
    let n = 0;
    extractFeatures(view, { gram: () => n++, rule: () => n++ });
    return n;
  };

  it('reads Chinese 1-3-grams, Latin words, pairs and 3-grams, and the rules', () => {
    const view = ruleViewOf('AL 还剩几天', ROUTE);
    if (!view) throw new Error('no view');
    const names = featureList(view).map(([name]) => name);
    expect(names).toEqual(expect.arrayContaining(['z:还', 'z:还剩', 'z:还剩几', 'w:al', 'b:^ al', 'b:al $', 'g:<al', 'c:leave', 'r:leave.balance']));
    expect(new Set(names).size).toBe(names.length);
  });

  it('weighs each distinct n-gram 1/√(occurrences), so repeating a message weakens it', () => {
    const once = ruleViewOf('年假余额', ROUTE);
    const thrice = ruleViewOf('年假余额，年假余额，年假余额', ROUTE);
    if (!once || !thrice) throw new Error('no view');
    const weight = (view: typeof once): number | undefined => featureList(view).find(([n]) => n === 'z:年假')?.[1];
    expect(weight(once)).toBeCloseTo(1 / Math.sqrt(9)); // 4 characters, 3 pairs, 2 triples
    expect(weight(thrice)).toBeCloseTo(1 / Math.sqrt(27));
  });

  it('visits a number of features linear in the text, at most a few per character at the cap', () => {
    for (const piece of ['年假余额', 'paysilp balence ', 'a', '1', '工资 pay ', '🙏']) {
      const text = piece.repeat(Math.ceil(MAX_ROUTED_CHARS / piece.length)).slice(0, MAX_ROUTED_CHARS);
      expect(count(text)).toBeLessThanOrEqual(4 * MAX_ROUTED_CHARS + 100);
    }
  });
});

describe('corpusFiles', () => {
  it('takes corpus/*.jsonl and held-out.jsonl but never the fresh-* sets, which are only scored', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'corpus-files-'));
    try {
      mkdirSync(path.join(dir, 'corpus'));
      for (const f of ['families-a.jsonl', 'fresh-dev.jsonl', 'fresh-test.jsonl', 'blind.jsonl', 'README.md']) writeFileSync(path.join(dir, 'corpus', f), '');
      writeFileSync(path.join(dir, 'held-out.jsonl'), '');
      expect(corpusFiles(dir).map((f) => path.relative(dir, f))).toEqual([
        path.join('corpus', 'blind.jsonl'),
        path.join('corpus', 'families-a.jsonl'),
        'held-out.jsonl',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
