import { describe, expect, it } from 'vitest';
import type { FeishuApi, FeishuCallOptions } from '../../src/feishu/types.js';
import { PAYROLL_MAX_WAIT_MS, fetchPaymentDetails } from '../../src/providers/feishu/payroll.js';

describe('payroll queueing', () => {
  it('asks the limiter to wait minutes, not fail, because payroll serves one call per second app-wide', async () => {
    const seen: Array<FeishuCallOptions | undefined> = [];
    const api: FeishuApi = {
      async call(_name, _req, schema, opts) {
        seen.push(opts);
        return schema.parse({ payment_details: [], total: 0 });
      },
    };
    await fetchPaymentDetails(api, '7202076988667019222', { start: '2025-01-01', end: '2025-01-31' });
    expect(seen).toHaveLength(1);
    // Thirty people asking for their latest payslip at once need up to ~90 s of slots.
    expect(seen[0]?.maxWaitMs).toBe(PAYROLL_MAX_WAIT_MS);
    expect(PAYROLL_MAX_WAIT_MS).toBeGreaterThanOrEqual(120_000);
  });
});
