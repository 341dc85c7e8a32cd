import { buildNoticeCard } from '../../../cards/notice.js';
import type { Config } from '../../config.js';
import type { BotContext, Reply } from '../context.js';

/**
 * `accrual.edit`: only HR requesters may propose edits. The proposal and approval
 * flow is its own issue; until it lands, HR is told so and nothing is written.
 */
export async function accrualEditCommand(ctx: BotContext, deps: { config: Config }): Promise<Reply> {
  const allowed = deps.config.hr.requesters.includes(ctx.openId);
  const body = allowed ? ctx.t('accrual.comingSoon') : ctx.t('accrual.notAllowed');
  return { card: buildNoticeCard(ctx.t('accrual.title'), body, allowed ? 'blue' : 'orange'), sensitive: false };
}
