import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { perSecond } from '../../src/feishu/limits.js';
import { storeKeys } from '../../src/store/keys.js';
import { FeishuApiError, type FeishuRequest } from '../../src/feishu/types.js';
import { feishuError, installFeishuMock, testAppId } from '../support/feishu-mock.js';
import { capturingLogger, closeInstances, gaps, instance } from './helpers.js';

const mock = installFeishuMock();
const base = mock.baseUrl;
afterEach(closeInstances);

const TYPES_PATH = '/open-apis/corehr/v1/leaves/leave_types';
const PAYSLIP_PATH = '/open-apis/payroll/v1/payment_detail/query';
const leaveTypes: FeishuRequest = { method: 'GET', url: TYPES_PATH, params: { page_size: '100' } };
const payslip: FeishuRequest = { method: 'POST', url: PAYSLIP_PATH, data: { page_index: 1 } };
const Page = z.object({ items: z.array(z.object({ id: z.string() })) });
const okPage = () => HttpResponse.json({ code: 0, msg: 'ok', data: { items: [{ id: 'x' }] } });

/** An authenticated handler answering `okPage`, unless overridden earlier in the chain. */
function serveTypes() {
  mock.use(http.get(`${base}${TYPES_PATH}`, ({ request }) => mock.authError(request) ?? okPage()));
}

describe('shared token', () => {
  it('two instances with one appId share one token, even when both start at once', async () => {
    const appId = testAppId();
    const a = instance(mock, appId);
    const b = instance(mock, appId);
    const [ta, tb] = await Promise.all([a.client.token.get(), b.client.token.get()]);
    expect(ta).toBe(tb);
    expect(mock.tokenIssued).toBe(1);

    serveTypes();
    await Promise.all([a.client.api.call('corehr.leaveTypes', leaveTypes, Page), b.client.api.call('corehr.leaveTypes', leaveTypes, Page)]);
    expect(mock.tokenIssued).toBe(1);
    for (const c of mock.callsTo(TYPES_PATH)) expect(c.headers.get('authorization')).toBe(`Bearer ${ta}`);
  });

  it('caches the token for expire − 3 min and drops it only if it is still the failed one', async () => {
    const appId = testAppId();
    const { client, store } = instance(mock, appId);
    const token = await client.token.get();
    const key = storeKeys(appId).tenantToken();
    const ttl = (await store.ttlMs(key)) ?? 0;
    expect(ttl).toBeGreaterThan(7020_000 - 5_000);
    expect(ttl).toBeLessThanOrEqual(7020_000);

    await store.set(key, 't-newer', { ttlMs: 60_000 }); // another instance already refreshed
    await client.token.invalidate(token);
    expect(await store.get(key)).toBe('t-newer');
    await client.token.invalidate('t-newer');
    expect(await store.get(key)).toBeNull();
  });

  it('reuses a token in the process without reading the store again, until Feishu rejects it', async () => {
    const appId = testAppId();
    const { client, store } = instance(mock, appId);
    const key = storeKeys(appId).tenantToken();
    const token = await client.token.get();
    await store.set(key, 't-elsewhere', { ttlMs: 60_000 }); // a store read would now see this one
    expect(await client.token.get()).toBe(token);
    await client.token.invalidate(token); // Feishu rejected it: the local copy goes too
    expect(await client.token.get()).toBe('t-elsewhere');
    expect(mock.tokenIssued).toBe(1);
  });

  it('different apps in one process never see each other’s token', async () => {
    const a = instance(mock, testAppId());
    const b = instance(mock, testAppId());
    expect(await a.client.token.get()).not.toBe(await b.client.token.get());
    expect(mock.tokenIssued).toBe(2);
  });

  it('on 99991663 drops the token, fetches a new one and succeeds', async () => {
    const { client } = instance(mock, testAppId());
    serveTypes();
    await client.api.call('corehr.leaveTypes', leaveTypes, Page);
    mock.invalidateTokens();
    await expect(client.api.call('corehr.leaveTypes', leaveTypes, Page)).resolves.toEqual({ items: [{ id: 'x' }] });
    expect(mock.tokenIssued).toBe(2);
    expect(mock.callsTo(TYPES_PATH)).toHaveLength(3);
  });

  it('99991663 twice is an error, not a loop', async () => {
    const { client } = instance(mock, testAppId());
    mock.use(http.get(`${base}${TYPES_PATH}`, () => feishuError(400, 99991663, 'Invalid access token')));
    const err = await client.api.call('corehr.leaveTypes', leaveTypes, Page).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeishuApiError);
    expect((err as FeishuApiError).code).toBe(99991663);
    expect(mock.callsTo(TYPES_PATH)).toHaveLength(2);
    expect(mock.tokenIssued).toBe(2);
  });
});

describe('shared rate limit', () => {
  it('two instances together keep a 1/s limit', async () => {
    const appId = testAppId();
    const limits = { 'payroll.paymentDetail': [perSecond(1)] };
    const a = instance(mock, appId, { limits });
    const b = instance(mock, appId, { limits });
    mock.use(http.post(`${base}${PAYSLIP_PATH}`, ({ request }) => mock.authError(request) ?? okPage()));
    // Distinct queries: identical in-flight reads would share one call (see the coalescing test).
    const query = (n: number): FeishuRequest => ({ ...payslip, data: { page_index: 1, employee_ids: [`e${n}`] } });
    await Promise.all([a, b, a, b, a].map((i, n) => i.client.api.call('payroll.paymentDetail', query(n), Page)));
    const at = mock.callsTo(PAYSLIP_PATH).map((c) => c.at);
    expect(at).toHaveLength(5);
    for (const gap of gaps(at)) expect(gap).toBeGreaterThanOrEqual(1000);
    expect(mock.tokenIssued).toBe(1);
  }, 15_000);
});

describe('coalescing', () => {
  it('identical in-flight reads share one upstream call; writes and later reads do not', async () => {
    const { client } = instance(mock, testAppId());
    mock.use(http.post(`${base}${PAYSLIP_PATH}`, ({ request }) => mock.authError(request) ?? okPage()));
    const answers = await Promise.all(Array.from({ length: 30 }, () => client.api.call('payroll.paymentDetail', payslip, Page)));
    expect(answers).toHaveLength(30);
    expect(answers.every((a) => a.items[0]?.id === 'x')).toBe(true);
    expect(mock.callsTo(PAYSLIP_PATH)).toHaveLength(1);
    // Nothing is cached: the next ask is a new call.
    await client.api.call('payroll.paymentDetail', payslip, Page);
    expect(mock.callsTo(PAYSLIP_PATH)).toHaveLength(2);
  });
});

describe('retries', () => {
  it('429 with x-ogw-ratelimit-reset: 1 waits about a second, then succeeds', async () => {
    const { client } = instance(mock, testAppId());
    mock.use(
      http.get(`${base}${TYPES_PATH}`, () => feishuError(429, 99991400, 'request trigger frequency limit', { 'x-ogw-ratelimit-reset': '1' }), { once: true }),
      http.get(`${base}${TYPES_PATH}`, () => okPage()),
    );
    await expect(client.api.call('corehr.leaveTypes', leaveTypes, Page)).resolves.toBeDefined();
    const at = mock.callsTo(TYPES_PATH).map((c) => c.at);
    expect(at).toHaveLength(2);
    expect(gaps(at)[0]).toBeGreaterThanOrEqual(1000);
    expect(gaps(at)[0]).toBeLessThan(2000);
  });

  it('5xx twice, then success', async () => {
    const { client, metrics } = instance(mock, testAppId());
    mock.use(
      http.get(`${base}${TYPES_PATH}`, () => feishuError(503, 0, 'unavailable'), { once: true }),
      http.get(`${base}${TYPES_PATH}`, () => new HttpResponse('<html>bad gateway</html>', { status: 502 }), { once: true }),
      http.get(`${base}${TYPES_PATH}`, () => okPage()),
    );
    await expect(client.api.call('corehr.leaveTypes', leaveTypes, Page)).resolves.toEqual({ items: [{ id: 'x' }] });
    expect(mock.callsTo(TYPES_PATH)).toHaveLength(3);
    const counts = await metrics.outboundCalls.get();
    expect(counts.values.find((v) => v.labels.result === 'retry')?.value).toBe(2);
    expect(counts.values.find((v) => v.labels.result === 'ok')?.value).toBe(1);
  });

  it('a network error is retried', async () => {
    const { client } = instance(mock, testAppId());
    mock.use(http.get(`${base}${TYPES_PATH}`, () => HttpResponse.error(), { once: true }), http.get(`${base}${TYPES_PATH}`, () => okPage()));
    await expect(client.api.call('corehr.leaveTypes', leaveTypes, Page)).resolves.toBeDefined();
    expect(mock.callsTo(TYPES_PATH)).toHaveLength(2);
  });

  it('5xx forever gives a transient FeishuApiError after bounded retries', async () => {
    const { client } = instance(mock, testAppId());
    mock.use(http.get(`${base}${TYPES_PATH}`, () => feishuError(500, 1000004, 'internal error', { 'x-tt-logid': 'log-1' })));
    const started = Date.now();
    const err = await client.api.call('corehr.leaveTypes', leaveTypes, Page).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeishuApiError);
    expect(err).toMatchObject({ code: 1000004, httpStatus: 500, logId: 'log-1', transient: true });
    expect(mock.callsTo(TYPES_PATH)).toHaveLength(5); // 1 + 4 retries
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('errors', () => {
  it('a business error (HTTP 400, code 1160006) is thrown as is, without retry', async () => {
    const { client } = instance(mock, testAppId());
    mock.use(http.get(`${base}${TYPES_PATH}`, () => feishuError(400, 1160006, 'employment not found', { 'x-tt-logid': 'abc' })));
    const err = await client.api.call('corehr.leaveTypes', leaveTypes, Page).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeishuApiError);
    expect(err).toMatchObject({ api: 'corehr.leaveTypes', code: 1160006, httpStatus: 400, logId: 'abc', transient: false });
    expect(mock.callsTo(TYPES_PATH)).toHaveLength(1);
  });

  it('code ≠ 0 with HTTP 200 is an error too', async () => {
    const { client } = instance(mock, testAppId());
    mock.use(http.get(`${base}${TYPES_PATH}`, () => HttpResponse.json({ code: 1160001, msg: 'bad param' })));
    await expect(client.api.call('corehr.leaveTypes', leaveTypes, Page)).rejects.toMatchObject({ code: 1160001, httpStatus: 200 });
  });

  it('a schema mismatch is a FeishuApiError naming the path, not the value', async () => {
    const { client } = instance(mock, testAppId());
    mock.use(http.get(`${base}${TYPES_PATH}`, () => HttpResponse.json({ code: 0, msg: 'ok', data: { items: [{ id: 12345.67 }] } })));
    const err = await client.api.call('corehr.leaveTypes', leaveTypes, Page).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeishuApiError);
    expect((err as FeishuApiError).code).toBe(0);
    expect((err as Error).message).toMatch(/schema.*items\.0\.id/);
    expect((err as Error).message).not.toContain('12345');
  });

  it('a missing scope (99991672) is logged with the scope, at warn', async () => {
    const { logger, lines } = capturingLogger();
    const { client } = instance(mock, testAppId(), { logger });
    mock.use(http.get(`${base}${TYPES_PATH}`, () => feishuError(400, 99991672, 'Access denied. One of the following scopes is required: [corehr:leave:read]')));
    await expect(client.api.call('corehr.leaveTypes', leaveTypes, Page)).rejects.toMatchObject({ code: 99991672 });
    const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.code === 99991672);
    expect(line).toMatchObject({ level: 40, api: 'corehr.leaveTypes' });
    expect(String(line?.scope)).toContain('corehr:leave:read');
  });

  it('logs never carry the secret, the token or the request body', async () => {
    const { logger, lines } = capturingLogger();
    const { client } = instance(mock, testAppId(), { logger });
    mock.use(
      http.post(`${base}${PAYSLIP_PATH}`, () => feishuError(500, 0, 'boom'), { once: true }),
      http.post(`${base}${PAYSLIP_PATH}`, () => feishuError(400, 2500003, 'bad window')),
    );
    const secretBody: FeishuRequest = { method: 'POST', url: PAYSLIP_PATH, data: { salary_hint: 'NET-98765' } };
    await expect(client.api.call('payroll.paymentDetail', secretBody, Page)).rejects.toThrow(FeishuApiError);
    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(all).not.toContain('sec-ret-value');
    expect(all).not.toMatch(/t-\d+/);
    expect(all).not.toContain('NET-98765');
  });
});

describe('request shape', () => {
  it('sends arrays as repeated query keys and GET without a body', async () => {
    const { client } = instance(mock, testAppId());
    const path = '/open-apis/corehr/v1/leaves/leave_balances';
    mock.use(http.get(`${base}${path}`, ({ request }) => mock.authError(request) ?? okPage()));
    await client.api.call(
      'corehr.leaveBalances',
      { method: 'GET', url: path, params: { employment_id_list: ['e1', 'e2'], page_size: '20', user_id_type: 'open_id', as_of_date: undefined } },
      Page,
    );
    const [call] = mock.callsTo(path);
    expect(call?.query.getAll('employment_id_list')).toEqual(['e1', 'e2']);
    expect(call?.query.has('employment_id_list[]')).toBe(false);
    expect(call?.query.has('as_of_date')).toBe(false);
    expect(call?.body).toBeUndefined();
  });

  it('records duration and outcome metrics', async () => {
    const { client, metrics } = instance(mock, testAppId());
    serveTypes();
    await client.api.call('corehr.leaveTypes', leaveTypes, Page);
    const text = await metrics.registry.metrics();
    expect(text).toContain('hrbot_outbound_calls_total{api="corehr.leaveTypes",result="ok"} 1');
    expect(text).toContain('hrbot_outbound_duration_seconds_count{api="corehr.leaveTypes"} 1');
    expect(text).toContain('hrbot_limiter_wait_seconds_count{api="corehr.leaveTypes"} 1');
  });
});
