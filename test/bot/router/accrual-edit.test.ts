/**
 * `accrual.edit` in both languages, the way HR writes it: an @mention of the employee,
 * the record id, the new quantity and/or expiry, a reason kept as written. The mention
 * is a placeholder (`@_user_1`) the router must read past; who it names comes from the
 * event's mentions, never from the text.
 */
import { describe, expect, it } from 'vitest';
import { routeIntent, type RouteOptions } from '../../../src/bot/router/router.js';
import { understand } from '../../../src/bot/understand.js';

const OPTS: RouteOptions = { now: new Date('2025-03-15T04:00:00Z'), timeZone: 'Asia/Shanghai' };
const route = (text: string) => {
  const { intent, slots } = routeIntent(text, OPTS);
  return { intent, slots };
};

describe('routeIntent: accrual.edit', () => {
  it.each([
    [
      '调整 @_user_1 的年假发放记录 6893014062142064135 为 3 天，失效日期 2026-12-31，原因：补录加班',
      { recordId: '6893014062142064135', quantity: '3', expirationDate: '2026-12-31', reason: '补录加班' },
    ],
    [
      "adjust @_user_1's annual leave grant 6893014062142064135 to 2.5 days, expires 2026-06-30, reason: missed overtime",
      { recordId: '6893014062142064135', quantity: '2.5', expirationDate: '2026-06-30', reason: 'missed overtime' },
    ],
    ['@_user_1 发放记录 7111688079785723436 改成 1.5 天', { recordId: '7111688079785723436', quantity: '1.5' }],
    ['把 @_user_2 的发放记录 7111688079785723436 的失效日期改成 2025-09-30，原因：延期', { recordId: '7111688079785723436', expirationDate: '2025-09-30', reason: '延期' }],
    ['please set grant record 7111688079785723436 for @_user_1 to 4 days', { recordId: '7111688079785723436', quantity: '4' }],
    ['change accrual record 7111688079785723436 expiry to 2025-12-31 because of the carry-over policy', { recordId: '7111688079785723436', expirationDate: '2025-12-31', reason: 'the carry-over policy' }],
  ])('%s', (text, slots) => {
    expect(route(text)).toEqual({ intent: 'accrual.edit', slots });
  });

  it.each([
    ['grant record 7111688079785723436: -2 days, expires 2025-12-31', { recordId: '7111688079785723436', quantity: '-2', expirationDate: '2025-12-31' }],
    ['把发放记录 7111688079785723436 改成 -2 天', { recordId: '7111688079785723436', quantity: '-2' }],
    ['set grant record 7111688079785723436 to -2', { recordId: '7111688079785723436', quantity: '-2' }],
    ['发放记录 7111688079785723436 减少到 2 天', { recordId: '7111688079785723436', quantity: '2' }],
    ['reduce grant record 7111688079785723436 to 2 days', { recordId: '7111688079785723436', quantity: '2' }],
  ])('an explicit new quantity, negative or after "reduce to", is kept: %s', (text, slots) => {
    expect(route(text)).toEqual({ intent: 'accrual.edit', slots });
  });

  // The slot is the record's new quantity: "reduce by 1.5" must not become "set it to -1.5".
  it.each([
    ['发放记录 7111688079785723436 减少1.5天，原因：多发了', { recordId: '7111688079785723436', reason: '多发了' }],
    ['@_user_1 的调休记录 7111688079785723436 扣 2 天', { recordId: '7111688079785723436' }],
    ['发放记录 7111688079785723436 增加 1 天', { recordId: '7111688079785723436' }],
    ['deduct 1 day from accrual record 7111688079785723436', { recordId: '7111688079785723436' }],
    ['grant record 7111688079785723436: reduce by 2', { recordId: '7111688079785723436' }],
    ['take off 2 days from grant 7111688079785723436', { recordId: '7111688079785723436' }],
    ['add 2 days to grant record 7111688079785723436', { recordId: '7111688079785723436' }],
  ])('a relative change fills no quantity: %s', (text, slots) => {
    expect(route(text)).toEqual({ intent: 'accrual.edit', slots });
  });

  it('keeps record ids as strings of 19 digits (too long for a number)', () => {
    const { slots } = route('修改发放记录 9007199254740993123，数量改为 5 天');
    expect(slots).toEqual({ recordId: '9007199254740993123', quantity: '5' });
  });

  it("the contract's output needs a record id: without one routeIntent emits no accrual.edit", () => {
    expect(route('调整 @_user_1 的年假发放记录为 3 天').intent).not.toBe('accrual.edit');
    expect(route("adjust @_user_1's annual leave grant to 2 days").intent).not.toBe('accrual.edit');
  });

  it('a mention alone never fills a slot', () => {
    const { slots } = route('@_user_1 @_user_2 发放记录 7111688079785723436 改成 2 天');
    expect(slots).toEqual({ recordId: '7111688079785723436', quantity: '2' });
  });
});

describe('understand: accrual.edit also reads the leave type for the HR flow', () => {
  it.each([
    ['调整 @_user_1 的年假发放记录 6893014062142064135 为 3 天', 'annual'],
    ["adjust @_user_1's sick leave grant 6893014062142064135 to 2 days", 'sick'],
    ['发放记录 6893014062142064135 改成 2 天', undefined],
  ])('%s → %s', (text, leaveType) => {
    const parsed = understand(text, OPTS);
    expect(parsed.intent).toBe('accrual.edit');
    expect((parsed.slots as { leaveType?: string }).leaveType).toBe(leaveType);
  });
});

describe('understand: an edit proposal without a record id reaches the HR form', () => {
  it.each([
    ['调整 @_user_1 的年假发放记录', { leaveType: 'annual' }],
    ['调整 @_user_1 的年假发放记录为 3 天', { quantity: '3', leaveType: 'annual' }],
    ['@_user_1 调整 @_user_2 的年假发放记录', { leaveType: 'annual' }],
    ['把 @_user_1 的发放记录改成 2 天，原因：补录', { quantity: '2', reason: '补录' }],
    ["adjust @_user_1's annual leave grant to 3 days", { quantity: '3', leaveType: 'annual' }],
    ["adjust @_user_1's annual leave grant", { leaveType: 'annual' }],
    ["change @_user_1's grant record expiry to 2026-12-31", { expirationDate: '2026-12-31' }],
    ['please update the grant for @_user_1, reason: missed overtime', { reason: 'missed overtime' }],
  ])('%s', (text, slots) => {
    expect(understand(text, OPTS)).toEqual({ intent: 'accrual.edit', slots });
  });

  it.each([
    // Employees asking about their own leave keep their answers.
    ['我还有几天年假？', 'leave.balance'],
    ['我的年假发放了吗', 'leave.balance'],
    ['我的年假发放记录改了吗', 'leave.balance'],
    ['@_user_1 年假发放记录调整了吗', 'leave.balance'],
    ['年假发放记录', 'leave.balance'],
    ['修改我的年假天数', 'leave.balance'],
    ['年假余额调整为 5 天', 'leave.balance'],
    ['my annual leave grant this year', 'leave.balance'],
    ['how many days was I granted', 'leave.balance'],
    ['update my leave balance', 'leave.balance'],
    ['adjust my annual leave balance to 10 days', 'leave.balance'],
    // Questions about a grant are not proposals to change it.
    ["was @_user_1's grant changed?", 'unknown'],
    ['why was my leave grant reduced', 'unknown'],
  ])('%s stays %s', (text, intent) => {
    expect(understand(text, OPTS).intent).toBe(intent);
    expect(routeIntent(text, OPTS).intent).toBe(intent);
  });
});
