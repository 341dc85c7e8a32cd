import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runDoctor } from '../../src/cli/doctor.js';
import { feishuError, installFeishuMock, testAppId } from '../support/feishu-mock.js';

const mock = installFeishuMock();
const saved = { ...process.env };

function setEnv(extra: Record<string, string> = {}): void {
  for (const k of Object.keys(process.env)) if (k.startsWith('FEISHU_') || k === 'REDIS_URL' || k === 'LEAVE_PROVIDER') delete process.env[k];
  Object.assign(process.env, {
    FEISHU_APP_ID: testAppId(),
    FEISHU_APP_SECRET: 'secret',
    FEISHU_VERIFICATION_TOKEN: 'vtoken',
    FEISHU_BASE_URL: mock.baseUrl,
    ...extra,
  });
}

async function doctor(): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    return { code: await runDoctor(), out: lines.join('') };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => {
  process.env = { ...saved };
});

const ok = (data: unknown = {}) => HttpResponse.json({ code: 0, msg: 'success', data });

describe('cli doctor', () => {
  it('names a missing scope in plain words and exits 1', async () => {
    setEnv({ REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' });
    mock.use(
      http.get(`${mock.baseUrl}/open-apis/corehr/v1/leaves/leave_types`, () =>
        feishuError(400, 99991672, 'Access denied. One of the following scopes is required: [corehr:leave:read]'),
      ),
      http.post(`${mock.baseUrl}/open-apis/corehr/v1/common_data/id/convert`, () => ok({ items: [] })),
      http.post(`${mock.baseUrl}/open-apis/payroll/v1/payment_detail/query`, () => ok({ payment_details: [], total: 0 })),
      http.post(`${mock.baseUrl}/open-apis/compensation/v1/lump_sum_payment/query`, () => feishuError(400, 2290001, 'param is invalid')),
    );
    const { code, out } = await doctor();
    expect(code).toBe(1);
    expect(out).toMatch(/ok\s+store: Redis/);
    expect(out).toContain('obtained a tenant token');
    expect(out).toMatch(/FIX\s+scope corehr:leave:read: MISSING/);
    expect(out).toMatch(/ok\s+scope payroll:payment_details:read: granted/);
    expect(out).toMatch(/ok\s+scope corehr:compensation.lump_sum_payment:read: granted/);
    expect(out).not.toContain('secret');
  });

  it('reports a bad app secret without probing scopes', async () => {
    setEnv();
    mock.use(
      http.post(`${mock.baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, () =>
        HttpResponse.json({ code: 10014, msg: 'app secret invalid' }),
      ),
    );
    const { code, out } = await doctor();
    expect(code).toBe(1);
    expect(out).toContain('could not obtain a tenant token (code 10014)');
    expect(out).not.toContain('scope ');
  });

  it('reports token-only mode as weak, with the fix, and exits 1', async () => {
    setEnv();
    const { code, out } = await doctor();
    expect(code).toBe(1);
    const line = out.split('\n').find((l) => l.includes('security:'));
    expect(line).toMatch(/^FIX\s+security: weak/);
    expect(line).toContain('FEISHU_ENCRYPT_KEY');
    expect(line).toContain('Encrypt Key in the developer console');
    expect(out).not.toContain('vtoken');
    expect(out).not.toContain('secret');
  });

  it('reports the mode as strong with an Encrypt Key, and not weak in websocket mode', async () => {
    setEnv({ FEISHU_ENCRYPT_KEY: 'ek_doctor_key_0123456789' });
    const strong = await doctor();
    expect(strong.out).toMatch(/ok\s+security: strong/);
    expect(strong.out).not.toContain('ek_doctor_key');
    setEnv({ FEISHU_EVENT_MODE: 'websocket' });
    const ws = await doctor();
    expect(ws.out).toMatch(/ok\s+security: long connection/);
    expect(ws.out).not.toContain('weak');
  });

  it('lists each configuration problem and exits 2', async () => {
    setEnv();
    delete process.env.FEISHU_APP_SECRET;
    process.env.LEAVE_PROVIDER = 'companyflow';
    const { code, out } = await doctor();
    expect(code).toBe(2);
    expect(out).toContain('FEISHU_APP_SECRET is required');
    expect(out).toContain('COMPANYFLOW_BASE_URL is required when LEAVE_PROVIDER=companyflow');
  });
});
