/**
 * `npm run cli -- audit` reads the accrual-edit audit log the bot wrote to Redis:
 * a table by default, JSON lines with --json, filtered by --since.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/services/accrual/audit.js';
import { storeKeys } from '../../src/store/keys.js';
import { createRedisStore } from '../../src/store/redis.js';
import { testAppId } from '../support/feishu-mock.js';
import { deleteKeysWithPrefixes } from '../support/redis-cleanup.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const CLI = join(ROOT, 'src/cli.ts');
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const APP_ID = testAppId();

function cli(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(TSX, [CLI, 'audit', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', FEISHU_APP_ID: APP_ID, FEISHU_APP_SECRET: 's', FEISHU_VERIFICATION_TOKEN: 'v', REDIS_URL, ...env },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

afterAll(() => deleteKeysWithPrefixes(REDIS_URL, [`hrbot:${APP_ID}:`]));

const base = {
  requestId: '11111111-1111-4111-8111-111111111111',
  requester: 'ou_requester',
  employee: 'ou_employee',
  leaveTypeId: '7002',
  recordId: '6893014062142064135',
  before: { quantity: '3', expirationDate: '2026-12-31' },
  after: { quantity: '2.5' },
  reason: 'missed overtime',
};

describe('npm run cli -- audit', { timeout: 60_000 }, () => {
  it('prints proposals, decisions and writes, oldest first; --since filters; --json gives one object a line', async () => {
    const store = createRedisStore(REDIS_URL);
    const audit = createAuditLog(store, storeKeys(APP_ID));
    await audit.append({ ...base, at: Date.parse('2026-05-30T08:00:00Z'), event: 'proposed', actor: 'ou_requester' });
    await audit.append({ ...base, at: Date.parse('2026-06-02T09:00:00Z'), event: 'approved', actor: 'ou_approver1' });
    await audit.append({ ...base, at: Date.parse('2026-06-02T09:00:01Z'), event: 'failed', actor: 'system', errorCode: 1220031 });
    await store.close();

    const table = cli([]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^2026-05-30T08:00:00.000Z {2}proposed .*by ou_requester/);
    expect(lines[1]).toContain('approved');
    expect(lines[1]).toContain('3 / 2026-12-31 -> 2.5 / -');
    expect(lines[2]).toContain('error 1220031');

    const since = cli(['--since', '2026-06-01', '--json']);
    expect(since.code).toBe(0);
    const entries = since.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; actor: string });
    expect(entries.map((e) => [e.event, e.actor])).toEqual([
      ['approved', 'ou_approver1'],
      ['failed', 'system'],
    ]);
  });

  it('refuses a bad --since with exit 2 and needs REDIS_URL', () => {
    const bad = cli(['--since', '2026-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since');
    const noRedis = cli([], { REDIS_URL: '' });
    expect(noRedis.code).toBe(1);
    expect(noRedis.stderr).toContain('REDIS_URL');
  });
});
