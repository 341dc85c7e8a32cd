import { describe, expect, it } from 'vitest';
import { errorCard } from '../../cards/error.js';
import { createI18n } from '../../src/i18n.js';

const i18n = createI18n();
const ctx = { locale: 'en-US' as const, timeZone: 'Asia/Shanghai', now: new Date() };

describe('error card', () => {
  it('says what happened in words, with the code small for HR support', () => {
    const c = errorCard({ key: 'errors.noHrRecord', code: '1160006', retryable: false }, i18n.t('en-US'), ctx, { intent: 'payslip', slots: {} });
    expect(c.header?.template).toBe('red');
    expect(c.body.elements[0]).toEqual({ tag: 'markdown', content: 'No HR record found for you — please contact HR.' });
    expect(c.body.elements[1]).toEqual({ tag: 'markdown', content: 'Error code 1160006', text_size: 'notation' });
    expect(JSON.stringify(c)).not.toContain('Try again');
  });

  it('retryable failures offer "Try again" for the same ask, naming nobody', () => {
    const c = errorCard({ key: 'errors.upstream', retryable: true }, i18n.t('zh-CN'), { ...ctx, locale: 'zh-CN' }, { intent: 'payslip', slots: { month: '2025-01' } });
    const json = JSON.stringify(c);
    expect(json).toContain('重试');
    expect(json).toContain('人事系统暂时出现问题');
    expect(json).not.toMatch(/ou_|at \w+ \(|Error:/);
  });

  it('an unknown key falls back to the generic message', () => {
    const c = errorCard({ key: 'errors.nope', retryable: true }, i18n.t('en-US'), ctx);
    expect(c.body.elements[0]).toMatchObject({ content: 'Sorry, something went wrong on our side. Please try again later.' });
  });
});
