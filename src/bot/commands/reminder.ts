import { buildNoticeCard } from '../../../cards/notice.js';
import { runIntentButton } from '../../../cards/common.js';
import type { Config } from '../../config.js';
import type { Store } from '../../store/types.js';
import type { StoreKeys } from '../../store/keys.js';
import type { BotContext, Reply } from '../context.js';

interface ReminderDeps {
  store: Store;
  keys: StoreKeys;
  config: Config;
}

/** `reminder.subscribe`: the person receives scheduled balance pushes. */
export async function reminderSubscribeCommand(ctx: BotContext, deps: ReminderDeps): Promise<Reply> {
  await deps.store.addToSet(deps.keys.reminderSubscribers(), ctx.openId);
  await deps.store.removeFromSet(deps.keys.reminderOptOuts(), ctx.openId);
  const body = ctx.t('reminder.subscribed', {
    schedule: deps.config.reminders.cron,
    timeZone: deps.config.reminders.timeZone,
  });
  return {
    card: buildNoticeCard(ctx.t('reminder.subscribedTitle'), body, 'green', [
      runIntentButton(ctx.t('reminder.turnOff'), 'reminder.unsubscribe'),
    ]),
    sensitive: false,
  };
}

/** `reminder.unsubscribe`: no more scheduled pushes for this person. */
export async function reminderUnsubscribeCommand(ctx: BotContext, deps: ReminderDeps): Promise<Reply> {
  await deps.store.removeFromSet(deps.keys.reminderSubscribers(), ctx.openId);
  await deps.store.addToSet(deps.keys.reminderOptOuts(), ctx.openId);
  return {
    card: buildNoticeCard(ctx.t('reminder.unsubscribedTitle'), ctx.t('reminder.unsubscribed'), 'grey', [
      runIntentButton(ctx.t('reminder.turnOn'), 'reminder.subscribe'),
    ]),
    sensitive: false,
  };
}
