import { runIntentButton } from '../../../cards/common.js';
import { noticeCard } from '../../../cards/notice.js';
import { NoSlots } from '../../domain/slots.js';
import { defineCommand } from './types.js';

/**
 * `reminder.subscribe`: stores the preference. The reminder schedule itself is not built
 * yet, so the answer says exactly that: saved, not switched on.
 */
export const reminderSubscribeCommand = defineCommand({
  name: 'reminder.subscribe',
  slots: NoSlots,
  sensitive: false,
  fromButton: true,
  suggest: true,
  help: { line: 'help.reminder', button: 'help.btnReminder' },
  build: ({ store, keys }) =>
    async (ctx) => {
      await store.addToSet(keys.reminderSubscribers(), ctx.openId);
      await store.removeFromSet(keys.reminderOptOuts(), ctx.openId);
      return {
        card: noticeCard(ctx.t('reminder.subscribedTitle'), ctx.t('reminder.subscribed'), 'green', [
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
