import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLimitRules, perMinute, perSecond, toRule, type Rate } from '../../src/feishu/limits.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { FeishuApiError } from '../../src/feishu/types.js';
import { installFeishuMock, testAppId } from '../support/feishu-mock.js';
import { closeInstances, instance } from './helpers.js';

const mock = installFeishuMock();
afterEach(closeInstances);

/** Grants `n` calls as fast as the rule allows on a simulated clock; returns grant times. */
async function simulate(rate: Rate, n: number): Promise<number[]> {
  let t = 0;
  const store = createMemoryStore({ now: () => t });
  const rule = toRule('k', rate);
  const grants: number[] = [];
  while (grants.length < n) {
    const wait = await store.reserve([rule]);
    if (wait > 0) t += wait;
    else grants.push(t);
  }
  await store.close();
  return grants;
}

function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0; i < times.length; i++) {
    const start = times[i] ?? 0;
    best = Math.max(best, times.filter((x) => x >= start && x < start + windowMs).length);
  }
  return best;
}

describe('limits', () => {
  it.each([
    ['50/s', perSecond(50)],
    ['1/s', perSecond(1)],
    ['100/min', perMinute(100)],
    ['1000/min', perMinute(1000)],
  ])('%s never admits more than the published number in any window', async (_, rate) => {
    const times = await simulate(rate, rate.max * 3);
    expect(maxInWindow(times, rate.periodMs)).toBeLessThanOrEqual(rate.max);
    // …and does not waste much of it either.
    expect(maxInWindow(times, rate.periodMs)).toBeGreaterThanOrEqual(rate.max - 1);
  });

  it('a per-minute rate allows a small burst so one request rarely waits', async () => {
    const times = await simulate(perMinute(100), 10);
    // (the stored TAT is rounded to µs, so the last may come a millisecond late)
    expect(Math.max(...times)).toBeLessThanOrEqual(2);
  });

  it('message create and reply share the app budget; the receiver gets its own 5/s', () => {
    const rulesFor = createLimitRules('cli_x');
    const create = rulesFor('im.message.create', { receiver: 'ou_1' });
    const reply = rulesFor('im.message.reply', { receiver: 'oc_1' });
    expect(create.map((r) => r.key)).toEqual([
      'hrbot:cli_x:rl:im.send:1000',
      'hrbot:cli_x:rl:im.send:60000',
      'hrbot:cli_x:rl:im.receiver:ou_1:1000',
    ]);
    expect(reply.slice(0, 2)).toEqual(create.slice(0, 2));
    // 5/s is a strict low rate: 10 % + 50 ms per call of margin (one per 270 ms).
    expect(create[2]).toMatchObject({ limit: 5, periodMs: 1350, burst: 1 });
  });

  it('card PATCH adds the per-message 5/s; other APIs ignore scopes', () => {
    const rulesFor = createLimitRules('cli_x');
    expect(rulesFor('im.message.patch', { messageId: 'om_1' }).map((r) => r.key)).toContain('hrbot:cli_x:rl:im.message:om_1:1000');
    expect(rulesFor('corehr.leaveTypes', { receiver: 'ou_1', messageId: 'om_1' })).toHaveLength(1);
    expect(rulesFor('payroll.paymentDetail')).toEqual([{ key: 'hrbot:cli_x:rl:payroll.paymentDetail:1000', limit: 1, periodMs: 1150, burst: 1 }]);
  });

  it('overrides replace an API’s rates', () => {
    const rulesFor = createLimitRules('cli_x', { 'corehr.leaveTypes': [perSecond(2)] });
    expect(rulesFor('corehr.leaveTypes')).toEqual([{ key: 'hrbot:cli_x:rl:corehr.leaveTypes:1000', limit: 2, periodMs: 1200, burst: 1 }]);
  });
});

describe('limiter timeout', () => {
  it('gives up with RateLimitTimeoutError when the wait exceeds maxWaitMs, without calling', async () => {
    const { client } = instance(mock, testAppId(), { limits: { 'corehr.leaveTypes': [{ max: 1, periodMs: 60_000 }] } });
    const url = '/open-apis/corehr/v1/leaves/leave_types';
    mock.use(http.get(`${mock.baseUrl}${url}`, () => HttpResponse.json({ code: 0, msg: 'ok', data: {} })));
    await client.api.call('corehr.leaveTypes', { method: 'GET', url }, z.object({}));
    const err = await client.api.call('corehr.leaveTypes', { method: 'GET', url }, z.object({}), { maxWaitMs: 200 }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('RateLimitTimeoutError');
    expect(err).not.toBeInstanceOf(FeishuApiError);
    expect(mock.callsTo(url)).toHaveLength(1);
  });
});

describe('feishu mock', () => {
  it('an unhandled request fails instead of passing through', async () => {
    const { client } = instance(mock, testAppId(), { retry: { maxRetries: 0 } });
    const err = await client.api.call('contact.user', { method: 'GET', url: '/open-apis/contact/v3/users/ou_1' }, z.unknown()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeishuApiError);
    expect((err as FeishuApiError).transient).toBe(true);
  });
});
