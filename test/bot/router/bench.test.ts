import { describe, expect, it } from 'vitest';
import { benchRouter } from '../../../bench/router.js';

// Speed is judged by `npm run bench`, never by timing assertions here: this only
// checks that the benchmark runs and reports a rate.
// Several thousand hostile texts at the cap, each routed six times: long on a busy shared machine.
describe('benchRouter', { timeout: 120_000 }, () => {
  it('routes the team corpus in a loop and reports a rate and the worst hostile message', () => {
    const { messagesPerSecond, worstCaseMs, worstCaseText } = benchRouter({ durationMs: 100 });
    expect(Number.isFinite(messagesPerSecond)).toBe(true);
    expect(messagesPerSecond).toBeGreaterThan(0);
    expect(Number.isFinite(worstCaseMs)).toBe(true);
    expect(worstCaseText).toMatch(/\(\d+ chars\)$/);
  });
});
