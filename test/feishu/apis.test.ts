import { describe, expect, it } from 'vitest';
import { FEISHU_APIS, apiPath, scopeHint, type FeishuApiName } from '../../src/feishu/apis.js';
import { PUBLISHED_LIMITS } from '../../src/feishu/limits.js';

const NAMES = Object.keys(FEISHU_APIS) as FeishuApiName[];

describe('Feishu API catalogue', () => {
  it.each(NAMES)('%s has a method, an /open-apis path and at least one limit', (name) => {
    const spec = FEISHU_APIS[name];
    expect(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']).toContain(spec.method);
    expect(spec.path.startsWith('/open-apis/')).toBe(true);
    expect(spec.limits.length).toBeGreaterThan(0);
  });

  it('the limiter reads its numbers from the catalogue', () => {
    expect(PUBLISHED_LIMITS['payroll.paymentDetail']).toEqual([expect.objectContaining({ max: 1, periodMs: 1000 })]);
    expect(PUBLISHED_LIMITS['corehr.leaveBalances']).toEqual([expect.objectContaining({ max: 100, periodMs: 60_000 })]);
    expect(PUBLISHED_LIMITS['im.message.reply'].map((r) => r.bucket)).toEqual(['im.send', 'im.send']);
    for (const name of NAMES) expect(PUBLISHED_LIMITS[name].map((r) => r.max)).toEqual(FEISHU_APIS[name].limits.map((l) => l.max));
  });

  it('fills and encodes path parameters, and refuses a missing one', () => {
    expect(apiPath('im.message.reply', { message_id: 'om_1/x' })).toBe('/open-apis/im/v1/messages/om_1%2Fx/reply');
    expect(apiPath('payroll.paymentDetail')).toBe('/open-apis/payroll/v1/payment_detail/query');
    expect(() => apiPath('contact.user')).toThrow(/user_id/);
  });

  it('names the scopes to grant, alternatives included', () => {
    expect(scopeHint('payroll.paymentDetail')).toBe('payroll:payment_details:read');
    expect(scopeHint('corehr.leaveTypes')).toBe('corehr:leave:read (or corehr:corehr:readonly)');
    expect(scopeHint('auth.tenantToken')).toBeUndefined();
  });
});
