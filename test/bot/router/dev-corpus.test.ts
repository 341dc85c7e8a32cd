import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatScore, readCorpus, scoreCorpus } from './corpus.js';

describe('router on the shared dev corpus', () => {
  it('gets at least 95% of intents and 95% of exact slots right (now = 2025-03-15, Asia/Shanghai)', () => {
    const rows = readCorpus(path.resolve(process.cwd(), '../shared/intents/dev.jsonl'));
    const score = scoreCorpus(rows);
    console.log(formatScore('dev.jsonl', score));
    const { total, intentOk, slotsOk } = score.overall;
    expect(total).toBeGreaterThanOrEqual(150);
    expect(intentOk / total).toBeGreaterThanOrEqual(0.95);
    expect(slotsOk / total).toBeGreaterThanOrEqual(0.95);
  });
});
