import type { Config } from '../config.js';
import type { LeaveProvider } from '../domain/hr.js';
import type { LeaveBalanceSlots, LumpSumSlots, PayslipSlots } from '../domain/slots.js';
import type { FeishuApi } from '../feishu/types.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/types.js';
import type { StoreKeys } from '../store/keys.js';
import { CompanyflowError } from '../providers/companyflow/http.js';
import { companyflowLeaveProvider } from '../providers/companyflow/leave.js';
import { feishuLeaveProvider } from '../providers/feishu/leave.js';
import { SelfServiceError, failureOf, logFailure } from './errors.js';
import { orderForDisplay, type LeaveBalanceResult } from './leave.js';
import { lumpSumsOf, type LumpSumResult } from './lump-sum.js';
import { payslipOf, type PayslipResult } from './payslip.js';
import { createReferenceData } from './reference-data.js';

export interface SelfServiceDeps {
  config: Config;
  store: Store;
  keys: StoreKeys;
  feishu: FeishuApi;
  logger: Logger;
  metrics: Metrics;
  /** CompanyFlow HTTP; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** When the ask happens and in which time zone dates are meant (defaults to the app's `timeZone`). */
export interface AskInfo {
  now: Date;
  timeZone?: string;
}

/** The employee self-service asks. Every answer is about `openId` only. */
export interface SelfService {
  leaveBalances(openId: string, slots: LeaveBalanceSlots, info: AskInfo): Promise<LeaveBalanceResult>;
  payslip(openId: string, slots: PayslipSlots, info: AskInfo): Promise<PayslipResult>;
  lumpSums(openId: string, slots: LumpSumSlots, info: AskInfo): Promise<LumpSumResult>;
}

/**
 * Leave balances, payslips and one-time payments for the person asking. Slots arrive
 * validated (the intent schemas, at the boundary). Expected upstream failures reject
 * with SelfServiceError (already logged, no figures).
 *
 * @example
 * const selfService = createSelfService({ config, store, keys, feishu, logger, metrics })
 * const result = await selfService.payslip(ctx.openId, { month: '2025-01' }, { now: ctx.now })
 */
export function createSelfService(deps: SelfServiceDeps): SelfService {
  const leaveProvider = chooseLeaveProvider(deps);
  const zoneOf = (info: AskInfo) => info.timeZone ?? deps.config.timeZone;
  const reference = createReferenceData(deps);

  async function guarded<T>(op: string, openId: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      const failure = failureOf(err);
      logFailure(deps.logger.child({ openId }), op, err, failure);
      throw err instanceof SelfServiceError ? err : new SelfServiceError(failure, { cause: err });
    }
  }

  return {
    leaveBalances: (openId, slots, info) =>
      guarded('leave.balance', openId, async () => {
        const answer = await leaveProvider.balancesOf(openId, { asOf: slots.asOf, now: info.now, timeZone: zoneOf(info) });
        return orderForDisplay(leaveProvider.name, answer, slots);
      }),
    payslip: (openId, slots, info) =>
      guarded('payslip', openId, () => payslipOf(deps, openId, slots, { now: info.now, timeZone: zoneOf(info) })),
    lumpSums: (openId, slots) => guarded('lump_sum', openId, () => lumpSumsOf({ feishu: deps.feishu, reference }, openId, slots)),
  };
}

function chooseLeaveProvider(deps: SelfServiceDeps): LeaveProvider {
  if (deps.config.leaveProvider !== 'companyflow') return feishuLeaveProvider(deps);
  const settings = deps.config.companyflow;
  if (!settings) return unconfiguredProvider();
  return companyflowLeaveProvider({ ...deps, settings, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
}

/** Config validation requires the settings; this only guards hand-built configs. */
function unconfiguredProvider(): LeaveProvider {
  return {
    name: 'companyflow',
    balancesOf: () => Promise.reject(new CompanyflowError('not_configured')),
  };
}
