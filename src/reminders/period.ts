import { CronExpressionParser } from 'cron-parser';

/**
 * The reminder period a moment belongs to: the latest occurrence of `REMINDER_CRON` (in
 * `REMINDER_TIMEZONE`) at or before it. A scheduled pass, a `remind --once` and an admin
 * run in the same period share it, so nobody is reminded twice in one period.
 *
 * @example
 * reminderPeriod('0 10 1 * *', 'Asia/Shanghai', new Date('2026-12-02T03:00:00Z')) // '20261201T0200Z'
 */
export function reminderPeriod(cron: string, timeZone: string, now: Date): string {
  // One second of slack: a job the scheduler starts exactly on time still lands in its own period.
  const at = CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1000), tz: timeZone }).prev().toDate();
  return periodId(at);
}

/** When the schedule next fires after `now`. */
export function nextReminderRun(cron: string, timeZone: string, now: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: now, tz: timeZone }).next().toDate();
}

/** A compact UTC stamp usable in job ids and store keys (no ':'), e.g. `20261201T0200Z`. */
function periodId(at: Date): string {
  return at.toISOString().slice(0, 16).replace(/[-:]/g, '') + 'Z';
}
