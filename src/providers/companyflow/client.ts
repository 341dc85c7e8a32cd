import { z } from 'zod';
import { CompanyflowError, sendWithRetry, type CompanyflowDeps } from './http.js';
import { employeeToken, forgetEmployeeToken } from './token.js';

export { CompanyflowError, type CompanyflowDeps, type CompanyflowSettings } from './http.js';

/** Seed 004: `GET /leave-balance/{leave_type_id}?year=` answer. */
export const CompanyflowBalanceAnswer = z.object({
  success: z.boolean(),
  data: z
    .object({
      leave_type_id: z.string(),
      year: z.number().int().optional(),
      total_days: z.number(),
      used_days: z.number(),
      pending_days: z.number().optional().default(0),
      available_days: z.number(),
      carried_forward_days: z.number().optional().default(0),
      leave_type: z
        .object({ id: z.string().optional(), name: z.string(), code: z.string().optional() })
        .optional(),
    })
    .optional(),
});
export type CompanyflowBalance = NonNullable<z.output<typeof CompanyflowBalanceAnswer>['data']>;

/**
 * The balance of every configured leave type for the employee behind `email`, for
 * `year`. One call per type, one after another (no published rate limit: be gentle).
 * Types CompanyFlow does not know (404) are skipped and counted in `missing`.
 *
 * @example
 * const { balances } = await fetchCompanyflowBalances(deps, 'li.lei@example.com', 2025)
 */
export async function fetchCompanyflowBalances(
  deps: CompanyflowDeps,
  email: string,
  year: number,
): Promise<{ balances: CompanyflowBalance[]; missing: number }> {
  const balances: CompanyflowBalance[] = [];
  let missing = 0;
  for (const leaveTypeId of deps.settings.leaveTypeIds) {
    const balance = await balanceWithFreshToken(deps, email, leaveTypeId, year);
    if (balance) balances.push(balance);
    else missing += 1;
  }
  return { balances, missing };
}

/** A cached token may have been revoked: on 401 drop it and try once with a new one. */
async function balanceWithFreshToken(
  deps: CompanyflowDeps,
  email: string,
  leaveTypeId: string,
  year: number,
): Promise<CompanyflowBalance | undefined> {
  try {
    return await fetchOneBalance(deps, await employeeToken(deps, email), leaveTypeId, year);
  } catch (err) {
    if (!(err instanceof CompanyflowError) || err.httpStatus !== 401) throw err;
    await forgetEmployeeToken(deps, email);
    try {
      return await fetchOneBalance(deps, await employeeToken(deps, email), leaveTypeId, year);
    } catch (retryErr) {
      if (retryErr instanceof CompanyflowError && retryErr.httpStatus === 401) await forgetEmployeeToken(deps, email);
      throw retryErr;
    }
  }
}

async function fetchOneBalance(
  deps: CompanyflowDeps,
  token: string,
  leaveTypeId: string,
  year: number,
): Promise<CompanyflowBalance | undefined> {
  const url = `${deps.settings.baseUrl}/leave-balance/${encodeURIComponent(leaveTypeId)}?year=${year}`;
  const res = await sendWithRetry(deps, 'companyflow.balance', url, {
    method: 'GET',
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  if (res.status === 404) {
    deps.logger.warn({ api: 'companyflow.balance', leaveTypeId, status: 404 }, 'companyflow leave type not found');
    return undefined;
  }
  if (res.status === 401) throw new CompanyflowError('token_rejected', 401);
  if (res.status === 403) throw new CompanyflowError('forbidden', 403);
  if (!res.ok) throw new CompanyflowError('bad_response', res.status);
  const parsed = CompanyflowBalanceAnswer.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success || !parsed.data.success || !parsed.data.data) throw new CompanyflowError('bad_response', res.status);
  return parsed.data.data;
}
