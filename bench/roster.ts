import type { FakeEmployee } from './fake-feishu.js';

/** Leave types of the synthetic tenant (ids as CoreHR issues them, names in both languages). */
export const FAKE_LEAVE_TYPES = {
  annual: { leaveTypeId: '7100000000000000001', zh: '年假', en: 'Annual Leave' },
  compensatory: { leaveTypeId: '7100000000000000002', zh: '调休假', en: 'Compensatory Leave' },
  sick: { leaveTypeId: '7100000000000000003', zh: '病假', en: 'Sick Leave' },
} as const;

/** YYYY-MM-DD `days` from `from`. */
export function dayAfter(from: Date, days: number): string {
  return new Date(from.getTime() + days * 24 * 3600_000).toISOString().slice(0, 10);
}

/**
 * `n` employees with a deterministic mix: every 10th has nothing left in any type, every 4th
 * holds annual leave expiring within 60 days (and every 8th also compensatory leave), every
 * 5th a grant expiring later than 60 days (never named). Open ids are `ou_<tag>_<index>`.
 *
 * @example
 * const roster = syntheticRoster(2000, 'bench', new Date())
 */
export function syntheticRoster(n: number, tag: string, now: Date): FakeEmployee[] {
  const { annual, compensatory, sick } = FAKE_LEAVE_TYPES;
  return Array.from({ length: n }, (_, i) => {
    const zero = i % 10 === 9;
    const grants: NonNullable<FakeEmployee['grants']> = [];
    if (!zero && i % 4 === 0) grants.push({ leaveTypeId: annual.leaveTypeId, left: 3.5, expires: dayAfter(now, 20 + (i % 30)) });
    if (!zero && i % 8 === 0) grants.push({ leaveTypeId: compensatory.leaveTypeId, left: 1, expires: dayAfter(now, 45) });
    if (!zero && i % 5 === 0) grants.push({ leaveTypeId: annual.leaveTypeId, left: 2, expires: dayAfter(now, 120) });
    return {
      openId: `ou_${tag}_${i}`,
      balances: [
        { ...annual, balance: zero ? 0 : 5 + (i % 10) },
        { ...compensatory, balance: zero ? 0 : i % 8 === 0 ? 1 : 0 },
        { ...sick, balance: zero ? 0 : 3 },
      ],
      grants,
    };
  });
}
