import { buildNoticeCard } from '../../cards/notice.js';
import type { SuggestableIntent } from '../../cards/unknown.js';
import type { Config } from '../config.js';
import type { I18n } from '../i18n.js';
import type { Store } from '../store/types.js';
import type { StoreKeys } from '../store/keys.js';
import type { BotContext, LeaveBalanceSlots, LumpSumSlots, PayslipSlots, Reply } from './context.js';
import type { ParsedIntent } from './intents.js';
import { accrualEditCommand } from './commands/accrual-edit.js';
import { helpCommand } from './commands/help.js';
import { languageSetCommand } from './commands/language-set.js';
import { reminderSubscribeCommand, reminderUnsubscribeCommand } from './commands/reminder.js';
import { unknownCommand } from './commands/unknown.js';

/** The employee self-service answers (leave balances, payslips, one-time payments). */
export interface SelfServiceCommands {
  leaveBalance(ctx: BotContext, slots: LeaveBalanceSlots): Promise<Reply>;
  payslip(ctx: BotContext, slots: PayslipSlots): Promise<Reply>;
  lumpSum(ctx: BotContext, slots: LumpSumSlots): Promise<Reply>;
}

export interface DispatchDeps {
  config: Config;
  store: Store;
  keys: StoreKeys;
  i18n: I18n;
  selfService?: SelfServiceCommands;
}

function comingSoon(ctx: BotContext, intent: 'leave.balance' | 'payslip' | 'lump_sum'): Reply {
  return {
    card: buildNoticeCard(ctx.t(`intents.${intent}`), ctx.t('common.comingSoon'), 'grey'),
    sensitive: false,
  };
}

/**
 * Runs one intent for the person in `ctx`: one handler per intent.
 *
 * @example
 * const reply = await dispatchIntent(ctx, { intent: 'help', slots: {} }, [], deps)
 */
export async function dispatchIntent(
  ctx: BotContext,
  parsed: ParsedIntent,
  suggestions: readonly SuggestableIntent[],
  deps: DispatchDeps,
): Promise<Reply> {
  switch (parsed.intent) {
    case 'leave.balance':
      return deps.selfService ? deps.selfService.leaveBalance(ctx, parsed.slots) : comingSoon(ctx, parsed.intent);
    case 'payslip':
      return deps.selfService ? deps.selfService.payslip(ctx, parsed.slots) : comingSoon(ctx, parsed.intent);
    case 'lump_sum':
      return deps.selfService ? deps.selfService.lumpSum(ctx, parsed.slots) : comingSoon(ctx, parsed.intent);
    case 'accrual.edit':
      return accrualEditCommand(ctx, deps);
    case 'reminder.subscribe':
      return reminderSubscribeCommand(ctx, deps);
    case 'reminder.unsubscribe':
      return reminderUnsubscribeCommand(ctx, deps);
    case 'language.set':
      return languageSetCommand(ctx, parsed.slots, deps);
    case 'help':
      return helpCommand(ctx);
    case 'unknown':
      return unknownCommand(ctx, suggestions);
  }
}
