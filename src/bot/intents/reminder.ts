import { runIntentButton } from '../../../cards/common.js';
import { noticeCard } from '../../../cards/notice.js';
import { formatMoment } from '../../../cards/format.js';
import { NoSlots } from '../../domain/slots.js';
import { nextReminderRun } from '../../reminders/period.js';
import { defineCommand } from './types.js';

/**
 * `reminder.subscribe`: reminders are opt-out, so turning them on removes the opt-out. The
 * answer tells the truth about the schedule: when the next one runs (the cron's next
 * occurrence in `REMINDER_TIMEZONE`, as the scheduler runs it) shown in the person's time
 * zone from Feishu contact, with the zone named; in the app's zone, named as such, when
 * contact has none or cannot be asked; or that the schedule is switched off
 * (REMINDER_ENABLED=false).
 */
export const reminderSubscribeCommand = defineCommand({
  name: 'reminder.subscribe',
  slots: NoSlots,
  sensitive: false,
  fromButton: true,
  menu: { key: 'reminder_on' },
  suggest: true,
  help: { line: 'help.reminder', button: 'help.btnReminder' },
  build: ({ store, keys, config, personZone }) =>
    async (ctx) => {
      await store.addToSet(keys.reminderSubscribers(), ctx.openId);
      await store.removeFromSet(keys.reminderOptOuts(), ctx.openId);
      const { cron, enabled } = config.reminders;
      let body = ctx.t('reminder.subscribedOff');
      if (enabled) {
        const next = nextReminderRun(cron, config.timeZone, ctx.now);
        const shown = (await personZone?.(ctx.openId)) ?? { zone: config.timeZone, own: false };
        body = ctx.t('reminder.subscribed', {
          next: formatMoment({ locale: ctx.locale, timeZone: shown.zone, now: next }),
          zone: ctx.t(shown.own ? 'reminder.zoneYours' : 'reminder.zoneApp', { zone: shown.zone }),
        });
      }
      return {
        card: noticeCard(ctx.t('reminder.subscribedTitle'), body, 'green', [
          runIntentButton(ctx.t('reminder.turnOff'), 'reminder.unsubscribe'),
        ]),
        sensitive: false,
      };
    },
});

/** `reminder.unsubscribe`: the person opts out of balance reminders. */
export const reminderUnsubscribeCommand = defineCommand({
  name: 'reminder.unsubscribe',
  slots: NoSlots,
  sensitive: false,
  fromButton: true,
  menu: { key: 'reminder_off' },
  suggest: true,
  build: ({ store, keys }) =>
    async (ctx) => {
      await store.removeFromSet(keys.reminderSubscribers(), ctx.openId);
      await store.addToSet(keys.reminderOptOuts(), ctx.openId);
      return {
        card: noticeCard(ctx.t('reminder.unsubscribedTitle'), ctx.t('reminder.unsubscribed'), 'grey', [
          runIntentButton(ctx.t('reminder.turnOn'), 'reminder.subscribe'),
        ]),
        sensitive: false,
      };
    },
});
