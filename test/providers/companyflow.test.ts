import { describe, expect, it } from 'vitest';
import { installFeishuMock } from '../support/feishu-mock.js';
import { CF_BASE, CF_LEAVE_TYPE, CF_TOKEN_URL, captureLogger, companyflowFake } from '../support/self-service.js';
import { fetchCompanyflowBalances, CompanyflowError, type CompanyflowDeps } from '../../src/providers/companyflow/client.js';
import { employeeToken, subjectHash } from '../../src/providers/companyflow/token.js';
import { createMetrics } from '../../src/metrics.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { storeKeys } from '../../src/store/keys.js';
import { testAppId } from '../support/feishu-mock.js';

const mock = installFeishuMock();
const EMAIL = 'zhang.san@example.com';

function setup(leaveTypeIds = [CF_LEAVE_TYPE]) {
  const fake = companyflowFake();
  mock.use(...fake.handlers);
  const log = captureLogger();
  const store = createMemoryStore();
  const keys = storeKeys(testAppId());
  const deps: CompanyflowDeps = {
    settings: { baseUrl: CF_BASE, tokenUrl: CF_TOKEN_URL, clientId: 'hrbot', clientSecret: 'cf-secret', leaveTypeIds },
    store,
    keys,
    logger: log.logger,
    metrics: createMetrics(),
    sleep: async () => {},
  };
  return { fake, deps, log, store, keys };
}

describe('CompanyFlow token exchange', () => {
  it('posts the form body of the contract and caches the token until 60 s before expiry', async () => {
    const { fake, deps, store, keys } = setup();
    expect(await employeeToken(deps, EMAIL)).toBe('cf-employee-token-1');
    expect(await employeeToken(deps, EMAIL)).toBe('cf-employee-token-1');
    expect(fake.tokenCalls).toHaveLength(1);
    expect(Object.fromEntries(fake.tokenCalls[0]!)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      client_id: 'hrbot',
      client_secret: 'cf-secret',
      subject_token: EMAIL,
      subject_token_type: 'urn:ietf:params:oauth:token-type:email',
    });
    const key = keys.companyflowToken(subjectHash(EMAIL));
    expect(key).not.toContain('example.com');
    const ttl = await store.ttlMs(key);
    expect(ttl).toBeGreaterThan(3_400_000);
    expect(ttl).toBeLessThanOrEqual(3_540_000);
  });

  it('concurrent asks of one person share one exchange', async () => {
    const { fake, deps } = setup();
    await Promise.all([employeeToken(deps, EMAIL), employeeToken(deps, EMAIL), employeeToken(deps, EMAIL)]);
    expect(fake.tokenCalls).toHaveLength(1);
  });

  it('a rejected exchange (401) is a typed error, and neither token nor email reaches the log', async () => {
    const { fake, deps, log } = setup();
    fake.tokenStatus = 401;
    await expect(employeeToken(deps, EMAIL)).rejects.toMatchObject({ reason: 'token_rejected', httpStatus: 401 });
    expect(log.text()).not.toContain(EMAIL);
    expect(log.text()).not.toContain('cf-secret');
  });
});

describe('CompanyFlow balances', () => {
  it('one GET per configured leave type for the year, with the bearer token', async () => {
    const { fake, deps, log } = setup([CF_LEAVE_TYPE, 'b2c3d4e5-0000-0000-0000-000000000000']);
    const { balances, missing } = await fetchCompanyflowBalances(deps, EMAIL, 2025);
    expect(balances).toHaveLength(2);
    expect(missing).toBe(0);
    expect(balances[0]).toMatchObject({ total_days: 22, used_days: 5, pending_days: 1.5, available_days: 15.5, carried_forward_days: 2 });
    expect(fake.balanceCalls.map((c) => [c.leaveTypeId, c.year])).toEqual([
      [CF_LEAVE_TYPE, '2025'],
      ['b2c3d4e5-0000-0000-0000-000000000000', '2025'],
    ]);
    expect(fake.balanceCalls.every((c) => c.authorization === 'Bearer cf-employee-token-1')).toBe(true);
    expect(log.text()).not.toContain('cf-employee-token');
  });

  it('retries 5xx and 429 a bounded number of times, then gives up with "unavailable"', async () => {
    const { fake, deps } = setup();
    fake.balanceStatuses = [503, 429];
    await expect(fetchCompanyflowBalances(deps, EMAIL, 2025)).resolves.toMatchObject({ missing: 0 });
    fake.balanceStatuses = [500, 500, 500, 500];
    const before = fake.balanceCalls.length;
    await expect(fetchCompanyflowBalances(deps, EMAIL, 2025)).rejects.toMatchObject({ reason: 'unavailable' });
    expect(fake.balanceCalls.length - before).toBe(3);
  });

  it('a revoked cached token (401) is dropped and replaced once', async () => {
    const { fake, deps } = setup();
    fake.balanceStatuses = [401];
    const { balances } = await fetchCompanyflowBalances(deps, EMAIL, 2025);
    expect(balances).toHaveLength(1);
    expect(fake.tokenCalls).toHaveLength(2);
    expect(fake.balanceCalls.at(-1)!.authorization).toBe('Bearer cf-employee-token-2');
  });

  it('403 → forbidden; 404 leave type → skipped and counted', async () => {
    const { fake, deps } = setup();
    fake.balanceStatuses = [404];
    await expect(fetchCompanyflowBalances(deps, EMAIL, 2025)).resolves.toEqual({ balances: [], missing: 1 });
    fake.balanceStatuses = [403];
    const err = await fetchCompanyflowBalances(deps, EMAIL, 2025).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CompanyflowError);
    expect(err).toMatchObject({ reason: 'forbidden' });
  });
});
