import { createServer } from 'node:net';
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runDoctor } from '../../src/cli/doctor.js';
import { silentLogger } from '../../src/log.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { ENCRYPT_KEY, VERIFICATION_TOKEN } from '../support/feishu-events.js';
import { feishuError, testAppId } from '../support/feishu-mock.js';
import { testConfig } from '../support/test-config.js';
import { installFeishuMockForServer, recordingSink } from '../support/webhook-app.js';

const mock = installFeishuMockForServer();
const saved = { ...process.env };
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const IM_SCOPES = ['im:message:send_as_bot', 'im:message.p2p_msg:readonly', 'im:message.group_at_msg:readonly'];

function setEnv(extra: Record<string, string> = {}): void {
  for (const k of Object.keys(process.env)) if (k.startsWith('FEISHU_') || k === 'REDIS_URL' || k === 'LEAVE_PROVIDER' || k === 'BOT_ROLE') delete process.env[k];
  Object.assign(process.env, {
    FEISHU_APP_ID: testAppId(),
    FEISHU_APP_SECRET: 'secret_doctor',
    FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    FEISHU_BASE_URL: mock.baseUrl,
    ...extra,
  });
}

/** The healthy setup: strong webhook mode (Encrypt Key), real Redis. */
const healthyEnv = () => setEnv({ FEISHU_ENCRYPT_KEY: ENCRYPT_KEY, REDIS_URL: REDIS });

async function doctor(url?: string): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    return { code: await runDoctor(url === undefined ? {} : { url }), out: lines.join('') };
  } finally {
    spy.mockRestore();
  }
}

const ok = (data: unknown = {}) => HttpResponse.json({ code: 0, msg: 'success', data });

/** A tenant where every scope is granted and every product answers. */
function healthyFeishu(grants: Record<string, number> = {}) {
  return [
    http.get(`${mock.baseUrl}/open-apis/application/v6/scopes`, ({ request }) =>
      mock.authError(request) ??
      ok({ scopes: IM_SCOPES.filter((s) => grants[s] !== 0).map((scope_name) => ({ scope_name, grant_status: grants[scope_name] ?? 1 })) }),
    ),
    http.get(`${mock.baseUrl}/open-apis/corehr/v1/leaves/leave_types`, () => ok({ items: [], has_more: false })),
    http.post(`${mock.baseUrl}/open-apis/corehr/v1/common_data/id/convert`, () => ok({ items: [] })),
    http.post(`${mock.baseUrl}/open-apis/payroll/v1/payment_detail/query`, () => ok({ payment_details: [], total: 0 })),
    http.post(`${mock.baseUrl}/open-apis/compensation/v1/lump_sum_payment/query`, () => feishuError(400, 2290001, 'param is invalid')),
    http.post(`${mock.baseUrl}/open-apis/corehr/v2/basic_info/currencies/search`, () => ok({ items: [], has_more: false })),
    http.get(`${mock.baseUrl}/open-apis/compensation/v1/items`, () => ok({ items: [], has_more: false })),
  ];
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((done) => srv.listen(0, '127.0.0.1', done));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((done) => srv.close(() => done()));
  return port;
}

/** A real bot with the same verification token and Encrypt Key, for `--url`. */
let bot: RunningServer;
beforeAll(async () => {
  const config = testConfig({ FEISHU_BASE_URL: mock.baseUrl, FEISHU_ENCRYPT_KEY: ENCRYPT_KEY });
  bot = await startServer({ ...config, http: { host: '127.0.0.1', port: 0 } }, { store: createMemoryStore(), sink: recordingSink().sink, logger: silentLogger, tty: false });
});
afterAll(() => bot.stop());

afterEach(() => {
  process.env = { ...saved };
});

const fixes = (out: string) => out.split('\n').filter((l) => l.startsWith('FIX'));

describe('cli doctor', () => {
  it('all good: store, token, bot, im:message scopes, HR scopes and both webhooks; exit 0, no secrets', async () => {
    healthyEnv();
    mock.use(...healthyFeishu());
    const { code, out } = await doctor(bot.url);
    expect(fixes(out)).toEqual([]);
    expect(code).toBe(0);
    expect(out).toMatch(/ok\s+security: strong/);
    expect(out).toMatch(/ok\s+store: Redis \(redis:\/\/127\.0\.0\.1:\d+\) answers/);
    expect(out).toMatch(/ok\s+feishu: reached .* and obtained a tenant token/);
    expect(out).toMatch(/ok\s+bot: capability on \("HR Assistant"\), open_id ou_/);
    for (const scope of IM_SCOPES) expect(out).toMatch(new RegExp(`ok\\s+scope ${scope.replace(/\./g, '\\.')}: granted`));
    expect(out).toMatch(/ok\s+scope corehr:leave:read: granted/);
    expect(out).toMatch(/ok\s+scope payroll:payment_details:read: granted/);
    expect(out).toMatch(/ok\s+scope corehr:common_data\.basic_data:read: granted/);
    expect(out).toMatch(/ok\s+scope corehr:compensation_item:read: granted/);
    expect(out).toContain(`ok   webhook ${bot.url}/webhook/event: answers`);
    expect(out).toContain(`ok   webhook ${bot.url}/webhook/card: answers`);
    expect(out.trim().split('\n').at(-1)).toBe('all good');
    for (const secret of ['secret_doctor', VERIFICATION_TOKEN, ENCRYPT_KEY]) expect(out).not.toContain(secret);
  });

  it('warnings (memory store, webhook not checked) still exit 0', async () => {
    setEnv({ FEISHU_ENCRYPT_KEY: ENCRYPT_KEY });
    mock.use(...healthyFeishu());
    const { code, out } = await doctor();
    expect(code).toBe(0);
    expect(out).toMatch(/warn\s+store: in memory/);
    expect(out).toMatch(/warn\s+webhook: not checked/);
  });

  it('names a missing HR scope in plain words and exits 1', async () => {
    healthyEnv();
    mock.use(
      http.get(`${mock.baseUrl}/open-apis/corehr/v1/leaves/leave_types`, () =>
        feishuError(400, 99991672, 'Access denied. One of the following scopes is required: [corehr:leave:read]'),
      ),
      ...healthyFeishu(),
    );
    const { code, out } = await doctor();
    expect(code).toBe(1);
    expect(fixes(out)).toEqual([expect.stringMatching(/^FIX\s+scope corehr:leave:read: MISSING — grant it/)]);
    expect(out).toMatch(/ok\s+scope payroll:payment_details:read: granted/);
    expect(out).toMatch(/ok\s+scope corehr:compensation.lump_sum_payment:read: granted/);
    expect(out).not.toContain('product:');
  });

  it('reference-data scopes (currency codes, pay item names) missing: a warning naming what degrades, exit 0', async () => {
    healthyEnv();
    const denied = (scope: string) => () => feishuError(400, 99991672, `Access denied. One of the following scopes is required: [${scope}]`);
    mock.use(
      http.post(`${mock.baseUrl}/open-apis/corehr/v2/basic_info/currencies/search`, denied('corehr:common_data.basic_data:read')),
      http.get(`${mock.baseUrl}/open-apis/compensation/v1/items`, denied('corehr:compensation_item:read')),
      ...healthyFeishu(),
    );
    const { code, out } = await doctor(bot.url);
    expect(fixes(out)).toEqual([]);
    expect(code).toBe(0);
    expect(out).toMatch(/warn\s+scope corehr:common_data\.basic_data:read: MISSING — grant it .*; until then one-time payment amounts are shown without a currency/);
    expect(out).toMatch(/warn\s+scope corehr:compensation_item:read: MISSING — grant it .*; until then one-time payments are labelled generically/);
  });

  it('im:message scopes: not requested in the console, or requested but not granted by the tenant', async () => {
    healthyEnv();
    mock.use(...healthyFeishu({ 'im:message:send_as_bot': 0, 'im:message.p2p_msg:readonly': 2 }));
    const { code, out } = await doctor();
    expect(code).toBe(1);
    expect(fixes(out)).toEqual([
      expect.stringMatching(/^FIX\s+scope im:message:send_as_bot: MISSING — add it in the developer console/),
      expect.stringMatching(/^FIX\s+scope im:message\.p2p_msg:readonly: requested but not granted by the tenant/),
    ]);
    expect(out).toMatch(/ok\s+scope im:message\.group_at_msg:readonly: granted/);
    expect(mock.callsTo('/open-apis/application/v6/scopes')).toHaveLength(1);
  });

  it('tells "product not enabled for this tenant" apart from a missing scope', async () => {
    healthyEnv();
    mock.use(http.get(`${mock.baseUrl}/open-apis/corehr/v1/leaves/leave_types`, () => feishuError(400, 1160001, 'No tenant ID')), ...healthyFeishu());
    const { code, out } = await doctor();
    expect(code).toBe(1);
    const [line, ...rest] = fixes(out);
    expect(rest).toEqual([]);
    expect(line).toMatch(/^FIX\s+product: Feishu People \(CoreHR\) leave is not enabled for this tenant \(code 1160001\)/);
    expect(line).toContain('the scope is not the problem');
    expect(out).not.toContain('MISSING');
  });

  it('the bot capability: off (an error answer) or the app disabled in the tenant', async () => {
    healthyEnv();
    mock.use(http.get(`${mock.baseUrl}/open-apis/bot/v3/info`, () => feishuError(400, 10003, 'bot ability is not activated')), ...healthyFeishu());
    const off = await doctor();
    expect(off.code).toBe(1);
    expect(fixes(off.out)).toEqual([expect.stringMatching(/^FIX\s+bot: capability not available \(code 10003: bot ability is not activated\) — enable the bot/)]);

    healthyEnv();
    mock.use(http.get(`${mock.baseUrl}/open-apis/bot/v3/info`, () => HttpResponse.json({ code: 0, msg: 'ok', bot: { activate_status: 1, open_id: 'ou_bot' } })), ...healthyFeishu());
    const disabled = await doctor();
    expect(fixes(disabled.out)).toEqual([expect.stringMatching(/^FIX\s+bot: the app is disabled by the tenant/)]);
  });

  it('a bad app secret: the credentials are named, no scope is probed, no secret printed', async () => {
    healthyEnv();
    mock.use(
      http.post(`${mock.baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, () => HttpResponse.json({ code: 10014, msg: 'app secret invalid' })),
      ...healthyFeishu(),
    );
    const { code, out } = await doctor();
    expect(code).toBe(1);
    expect(fixes(out)).toEqual([expect.stringMatching(/^FIX\s+feishu: the app credentials were refused \(code 10014\) — check FEISHU_APP_ID and FEISHU_APP_SECRET/)]);
    expect(out).not.toContain('scope ');
    expect(out).not.toContain('bot:');
    expect(out).not.toContain('secret_doctor');
  });

  it('Redis down: reported, and the Feishu checks still run', async () => {
    setEnv({ FEISHU_ENCRYPT_KEY: ENCRYPT_KEY, REDIS_URL: `redis://:hidden-pw@127.0.0.1:${await freePort()}` });
    mock.use(...healthyFeishu());
    const { code, out } = await doctor();
    expect(code).toBe(1);
    expect(fixes(out)).toEqual([expect.stringMatching(/^FIX\s+store: Redis \(redis:\/\/\*\*\*@127\.0\.0\.1:\d+\) does not answer/)]);
    expect(out).toMatch(/ok\s+feishu: reached .* obtained a tenant token/);
    expect(out).toMatch(/ok\s+scope payroll:payment_details:read: granted/);
    expect(out).not.toContain('hidden-pw');
  });

  it('Feishu unreachable: said apart from refused credentials, with the network cause', async () => {
    setEnv({ FEISHU_ENCRYPT_KEY: ENCRYPT_KEY, FEISHU_BASE_URL: `http://127.0.0.1:${await freePort()}` });
    const { code, out } = await doctor();
    expect(code).toBe(1);
    expect(fixes(out)).toEqual([expect.stringMatching(/^FIX\s+feishu: could not reach http:\/\/127\.0\.0\.1:\d+ for a tenant token \(network error: ECONNREFUSED\) — check FEISHU_BASE_URL/)]);
  });

  it('webhook unreachable: both paths reported with the cause', async () => {
    healthyEnv();
    mock.use(...healthyFeishu());
    const url = `http://127.0.0.1:${await freePort()}`;
    const { code, out } = await doctor(url);
    expect(code).toBe(1);
    expect(fixes(out)).toEqual([
      `FIX  webhook ${url}/webhook/event: not reachable (ECONNREFUSED) — check the public URL, DNS, TLS and the proxy in front of the bot`,
      `FIX  webhook ${url}/webhook/card: not reachable (ECONNREFUSED) — check the public URL, DNS, TLS and the proxy in front of the bot`,
    ]);
  });

  it('reports token-only mode as weak, with the fix, and exits 1', async () => {
    setEnv();
    mock.use(...healthyFeishu());
    const { code, out } = await doctor();
    expect(code).toBe(1);
    const line = out.split('\n').find((l) => l.includes('security:'));
    expect(line).toMatch(/^FIX\s+security: weak/);
    expect(line).toContain('FEISHU_ENCRYPT_KEY');
    expect(line).toContain('Encrypt Key in the developer console');
    expect(out).not.toContain(VERIFICATION_TOKEN);
    expect(out).not.toContain('secret_doctor');
  });

  it('reports the mode as strong with an Encrypt Key, and not weak in websocket mode', async () => {
    setEnv({ FEISHU_ENCRYPT_KEY: 'ek_doctor_key_0123456789' });
    mock.use(...healthyFeishu());
    const strong = await doctor();
    expect(strong.out).toMatch(/ok\s+security: strong/);
    expect(strong.out).not.toContain('ek_doctor_key');
    setEnv({ FEISHU_EVENT_MODE: 'websocket' });
    mock.use(...healthyFeishu());
    const ws = await doctor();
    expect(ws.out).toMatch(/ok\s+security: long connection/);
    expect(ws.out).not.toContain('weak');
    expect(ws.out).not.toContain('webhook: not checked');
    expect(ws.out).not.toContain('long connection:');
    setEnv({ FEISHU_EVENT_MODE: 'websocket', FEISHU_APP_ID: 'cli_xxxxxxxxxxxxxxxx' });
    mock.use(...healthyFeishu());
    const placeholder = await doctor();
    expect(placeholder.code).toBe(1);
    expect(placeholder.out).toMatch(/FIX\s+long connection: FEISHU_APP_ID is not cli_ followed by 16 hex characters/);
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
