import type { SelfServiceCommands } from '../dispatch.js';
import { handleLeaveBalance, type SelfServiceCommandDeps } from './leave-balance.js';
import { handleLumpSum } from './lump-sum.js';
import { handlePayslip } from './payslip.js';

/**
 * The three self-service handlers bound to their dependencies, in the shape the
 * dispatcher takes (`BotDeps.selfService`).
 *
 * @example
 * const bot = createBot({ ...deps, selfService: selfServiceCommands({ selfService: createSelfService(deps), logger }) })
 */
export function selfServiceCommands(deps: SelfServiceCommandDeps): SelfServiceCommands {
  return {
    leaveBalance: (ctx, slots) => handleLeaveBalance(ctx, slots, deps),
    payslip: (ctx, slots) => handlePayslip(ctx, slots, deps),
    lumpSum: (ctx, slots) => handleLumpSum(ctx, slots, deps),
  };
}
