import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileTexts, lexiconFragments } from '../../../bench/router.js';
import { MAX_ROUTED_CHARS, routeIntent } from '../../../src/bot/router/router.js';

const OPTS = { now: new Date('2025-03-15T04:00:00Z'), timeZone: 'Asia/Shanghai' };
// A budget, not a benchmark: linear matching takes a few milliseconds at the cap, a
// backtracking regex seconds to hours. Generous, and counted in CPU time of this process
// after one untimed pass (which compiles the code paths this text takes), so that a busy
// machine or a cold JIT never trips it; a backtracking text would hang in that first pass
// already and fail the test by its timeout.
const BUDGET_MS = 200;

function routedWithin(text: string): { ms: number; intent: string } {
  routeIntent(text, OPTS);
  const before = process.cpuUsage();
  const { intent } = routeIntent(text, OPTS);
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000, intent };
}

const SEPARATORS = [' ', '，', ',', '-', '.', '/', '\t', '、', '：', '  ', '\u3000'];
const DIGITS = ['1', '12', '2025', '06', '30', '7123456789012345678', '.5', '１２', '十二', '两'];
const WIDE = ['ａ', 'Ｐａｙ', '１月', '！', '？', '（', '）', 'ﾊﾟ', '①', '㈠', '㍿', '\ufdfa', 'ﬀ', 'Ⅻ', '㎏', '…'];
const FREEZER = ['请', '下周的', '下周', '的', '个', '一天', '半'];

/** Texts made of repeated fragments: the shapes that make backtracking matchers explode. */
const hostileText = fc
  .tuple(
    fc.array(
      fc.oneof(
        fc.constantFrom(...lexiconFragments()),
        fc.constantFrom(...SEPARATORS),
        fc.constantFrom(...DIGITS),
        fc.constantFrom(...WIDE),
        fc.constantFrom(...FREEZER),
        fc.string({ maxLength: 4 }),
      ),
      { minLength: 1, maxLength: 6 },
    ),
    fc.integer({ min: 1, max: MAX_ROUTED_CHARS }),
  )
  .map(([parts, length]) => {
    const unit = parts.join('');
    return unit.length === 0 ? 'x' : unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  });

describe('router on hostile text', () => {
  it('routes "请" + "下周的" × 1333 (the old exponential freezer) within the budget', () => {
    for (const n of [28, 40, 1333]) {
      const { ms, intent } = routedWithin(`请${'下周的'.repeat(n)}`);
      expect(ms).toBeLessThan(BUDGET_MS);
      expect(intent).toBe('unknown');
    }
  });

  it('routes every lexicon term, date, number and wide character repeated up to the cap within the budget', () => {
    for (const text of hostileTexts()) expect(routedWithin(text).ms, JSON.stringify(text.slice(0, 20))).toBeLessThan(BUDGET_MS);
  }, 60_000);

  it('routes thousands of generated repeats of fragments, separators, digits and compatibility characters within the budget', () => {
    fc.assert(
      fc.property(hostileText, (text) => routedWithin(text).ms < BUDGET_MS),
      { numRuns: 2000, seed: 20250315 },
    );
  }, 60_000);

  it('answers unknown when NFKC takes a text under the cap past it', () => {
    const text = '\ufdfa'.repeat(300); // ﷺ: 300 characters, 5 400 after NFKC
    expect(text.length).toBeLessThan(MAX_ROUTED_CHARS);
    expect(text.normalize('NFKC').length).toBeGreaterThan(MAX_ROUTED_CHARS);
    expect(routeIntent(`${text} 工资条`, OPTS)).toEqual({ intent: 'unknown', slots: {}, confidence: 0 });
  });
});
