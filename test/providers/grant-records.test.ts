/**
 * The grant-record APIs over real HTTP (a local server speaking seed 001's shapes): the
 * lookup is a GET with a JSON body, which in-process fakes cannot see; time_offset comes
 * from the configured zone; the PATCH body is the seed's.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feishuClientFor } from '../../src/feishu/client.js';
import { FeishuApiError } from '../../src/feishu/types.js';
import { silentLogger } from '../../src/log.js';
import { createMetrics } from '../../src/metrics.js';
import { findGrantRecord, grantPatchBody, patchGrantRecord, timeOffsetMinutes } from '../../src/providers/feishu/grant-records.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { testConfig } from '../support/test-config.js';

interface Seen {
  method: string;
  path: string;
  query: string;
  body: unknown;
}

const seen: Seen[] = [];
let server: http.Server;
let baseUrl = '';
let patchAnswer: { status: number; body: unknown } = { status: 200, body: { code: 0, msg: 'success', data: {} } };

/** A record as the expire-records GET documents `data.records[]` (every documented field). */
function documentedRecord(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '6893014062142064135',
    employment_id: 'ou_employee',
    leave_type_id: '7002',
    granting_quantity: '3',
    left_granting_quantity: '1',
    granting_unit: 1,
    effective_date: '2026-01-01',
    expiration_date: '2026-12-31',
    reason: [{ lang: 'zh_CN', value: '年度发放' }],
    is_update_by_external: false,
    accrual_source: 2,
    leave_sub_type_id: '7002',
    section_type: 1,
    ...over,
  };
}
let getRecords: unknown[] = [documentedRecord()];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://local');
      seen.push({ method: req.method ?? '', path: url.pathname, query: url.search, body: raw ? JSON.parse(raw) : undefined });
      res.setHeader('content-type', 'application/json');
      if (url.pathname.endsWith('/tenant_access_token/internal')) return res.end(JSON.stringify({ code: 0, msg: 'ok', tenant_access_token: 't-1', expire: 7200 }));
      if (req.method === 'GET') {
        return res.end(JSON.stringify({ code: 0, msg: 'success', data: { records: getRecords } }));
      }
      res.statusCode = patchAnswer.status;
      res.end(JSON.stringify(patchAnswer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function api() {
  const config = testConfig({ FEISHU_BASE_URL: baseUrl });
  return feishuClientFor(config, { store: createMemoryStore(), logger: silentLogger, metrics: createMetrics() }).api;
}

describe('grant records over HTTP', () => {
  it('looks a record up with a GET carrying a JSON body, by open_id', async () => {
    const found = await findGrantRecord(api(), { employeeOpenId: 'ou_employee', leaveTypeId: '7002', recordId: '6893014062142064135', today: '2026-06-01', timeOffset: 480 });
    expect(found).toEqual({ kind: 'found', before: { quantity: '3', expirationDate: '2026-12-31', unit: 'day' } });
    const get = seen.find((s) => s.method === 'GET')!;
    expect(get.path).toBe('/open-apis/attendance/v1/leave_employ_expire_records/7002');
    expect(get.query).toBe('?user_id_type=open_id');
    expect(get.body).toEqual({ employment_id: 'ou_employee', leave_type_id: '7002', start_expiration_date: '2021-06-01', end_expiration_date: '2031-06-01', time_offset: 480 });
  });

  it("reads the documented answer: whose record, its source (1: granted by the system), its unit", async () => {
    const query = { employeeOpenId: 'ou_employee', leaveTypeId: '7002', recordId: '6893014062142064135', today: '2026-06-01', timeOffset: 480 };
    try {
      getRecords = [documentedRecord({ accrual_source: 1 })];
      expect(await findGrantRecord(api(), query)).toEqual({ kind: 'system' });
      getRecords = [documentedRecord({ employment_id: 'ou_someone_else' })];
      expect(await findGrantRecord(api(), query)).toEqual({ kind: 'otherOwner' });
      getRecords = [documentedRecord({ id: '6893014062142064136' })];
      expect(await findGrantRecord(api(), query)).toEqual({ kind: 'missing' });
      getRecords = [documentedRecord({ granting_unit: 2, granting_quantity: '16', accrual_source: 3 })];
      expect(await findGrantRecord(api(), query)).toEqual({ kind: 'found', before: { quantity: '16', expirationDate: '2026-12-31', unit: 'hour' } });
      // Not the documented shape (the PATCH's `granted_by` instead of `accrual_source`): no guess, the lookup fails.
      const { accrual_source: _dropped, ...undocumented } = documentedRecord({ granted_by: 2 });
      getRecords = [undocumented];
      await expect(findGrantRecord(api(), query)).rejects.toThrow();
    } finally {
      getRecords = [documentedRecord()];
    }
  });

  it('PATCHes with the seed body and surfaces Feishu codes', async () => {
    const patch = { employeeOpenId: 'ou_employee', leaveTypeId: '7002', recordId: '6893014062142064135', after: { quantity: '2.5' }, reason: { zh: '补录', en: '补录' }, timeOffset: 480 };
    await patchGrantRecord(api(), patch);
    const sent = seen.filter((s) => s.method === 'PATCH').at(-1)!;
    expect(sent.path).toBe('/open-apis/attendance/v1/leave_accrual_record/7002');
    expect(sent.query).toBe('?user_id_type=open_id');
    expect(sent.body).toEqual(grantPatchBody(patch));
    expect(sent.body).toMatchObject({ quantity: '2.5', reason: [{ lang: 'zh_CN' }, { lang: 'en_US' }] });
    expect(sent.body).not.toHaveProperty('expiration_date');

    patchAnswer = { status: 400, body: { code: 1220031, msg: 'This granting record cannot be edited or deleted' } };
    const err = await patchGrantRecord(api(), patch).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeishuApiError);
    expect((err as FeishuApiError).code).toBe(1220031);
  });

  it('time_offset follows the configured zone', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    expect(timeOffsetMinutes('Asia/Shanghai', now)).toBe(480);
    expect(timeOffsetMinutes('UTC', now)).toBe(0);
    expect(timeOffsetMinutes('America/New_York', now)).toBe(-240);
    expect(timeOffsetMinutes('Asia/Kolkata', now)).toBe(330);
  });
});
