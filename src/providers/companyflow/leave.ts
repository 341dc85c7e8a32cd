import type { FeishuApi } from '../../feishu/types.js';
import type { LeaveBalance, LeaveProvider } from '../../domain/hr.js';
import { yearIn } from '../../domain/calendar.js';
import { leaveTypeCodeOf } from '../../domain/leave-types.js';
import type { LocalizedName } from '../../domain/names.js';
import { fetchWorkEmail } from '../feishu/contact.js';
import { fetchCompanyflowBalances, CompanyflowError, type CompanyflowBalance, type CompanyflowDeps } from './client.js';

/** Work emails change rarely; a day keeps contact calls low. */
const EMAIL_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * CompanyFlow leave balances (seed 004) for the employee behind the asker's work email.
 *
 * @example
 * const provider = companyflowLeaveProvider({ ...cfDeps, feishu })
 */
export function companyflowLeaveProvider(deps: CompanyflowDeps & { feishu: FeishuApi }): LeaveProvider {
  return {
    name: 'companyflow',
    async balancesOf(openId, query) {
      const email = await workEmail(deps, openId);
      const year = query.asOf ? Number(query.asOf.slice(0, 4)) : yearIn(query.now, query.timeZone);
      const { balances, missing } = await fetchCompanyflowBalances(deps, email, year);
      return { year, balances: balances.map(companyflowBalance), ...(missing ? { missing } : {}) };
    },
  };
}

async function workEmail(deps: CompanyflowDeps & { feishu: FeishuApi }, openId: string): Promise<string> {
  const key = deps.keys.userEmail(openId);
  const cached = await deps.store.get(key);
  if (cached) return cached;
  const email = await fetchWorkEmail(deps.feishu, openId);
  if (!email) throw new CompanyflowError('no_email');
  await deps.store.set(key, email, { ttlMs: EMAIL_TTL_MS });
  return email;
}

function companyflowBalance(b: CompanyflowBalance): LeaveBalance {
  const label = b.leave_type?.name ?? b.leave_type_id;
  const name: LocalizedName = { 'zh-CN': label, 'en-US': label };
  return {
    leaveTypeId: b.leave_type_id,
    name,
    code: leaveTypeCodeOf([label]),
    unit: 'day',
    figures: {
      kind: 'year',
      total: b.total_days,
      used: b.used_days,
      pending: b.pending_days,
      available: b.available_days,
      carriedForward: b.carried_forward_days,
    },
  };
}
