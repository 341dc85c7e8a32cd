import { reminderCard } from '../../cards/reminder.js';
import { withClickLocale } from '../bot/actions/click-locale.js';
import { normaliseLocale } from '../domain/locales.js';
import { FeishuApiError } from '../feishu/types.js';
import { failureCode, isPassingFault } from '../jobs/runner.js';
import { runInJob } from '../jobs/context.js';
import { JobFailure, JobHandedBack, type JobProcessor, type ReminderJob } from '../jobs/types.js';
import { feishuBalance } from '../providers/feishu/leave.js';
import type { ReminderDeps } from './pass.js';
import { EXPIRY_WINDOW_DAYS, expiryTypesOf, fetchExpiringGrants } from './expiring.js';

/** "Reminded this period" marks outlive any period a cron would sensibly use (monthly + slack). */
export const REMINDED_TTL_MS = 45 * 24 * 3600_000;
/** A failure is kept long enough for its pass to read it, however long that pass runs. */
const FAILED_TTL_MS = 7 * 24 * 3600_000;

/** The send's uuid: one per person and period, so Feishu drops a repeat within its hour. */
export const reminderUuid = (job: Pick<ReminderJob, 'period' | 'openId'>) => `rem-${job.period}-${job.openId}`;

/**
 * One push job: the person's card with their balances (the balance report's rows, carried
 * in the job) and the grants expiring within 60 days (at most two expire-record calls),
 * sent by open_id in their language with a uuid per person and period; then the mark.
 * The mark is the second guard after the job id: a person already marked in this period
 * (by a re-run of this job, or any other pass) gets nothing.
 *
 * @example
 * await pushReminder(deps, { kind: 'reminder', passId, period, openId: 'ou_1', balances })
 */
export async function pushReminder(deps: ReminderDeps, job: ReminderJob): Promise<'sent' | 'already_reminded'> {
  const { store, keys, config } = deps;
  const [mark, storedLocale] = await Promise.all([store.get(keys.reminded(job.period, job.openId)), store.get(keys.userLocale(job.openId))]);
  if (mark) return 'already_reminded';
  const now = deps.now?.() ?? new Date();
  const locale = normaliseLocale(storedLocale) ?? config.defaultLocale;
  const balances = job.balances.map((b) => feishuBalance(b, undefined));
  const from = dayIn(now, config.timeZone);
  const to = dayIn(new Date(now.getTime() + EXPIRY_WINDOW_DAYS * 24 * 3600_000), config.timeZone);
  const types = expiryTypesOf(balances, config.reminders.expiryLeaveTypes);
  const expiring = (
    await Promise.all(types.map((b) => fetchExpiringGrants(deps.api, { openId: job.openId, leaveTypeId: b.leaveTypeId, from, to })))
  ).flat();
  const card = withClickLocale(reminderCard(balances, expiring, deps.i18n.t(locale), { locale, timeZone: config.timeZone, now }), locale);
  await deps.delivery.sendToOwner(job.openId, card, reminderUuid(job));
  await store.set(keys.reminded(job.period, job.openId), job.passId, { ttlMs: REMINDED_TTL_MS });
  return 'sent';
}

/**
 * Runs push jobs from the reminder queue: passing faults (Feishu busy, no limiter slot in
 * time) are retried with backoff by the queue; a job that fails for good leaves its error
 * code in the store under its pass, where the pass counts it.
 *
 * @example
 * pushQueue.startWorker(createReminderPushProcessor(deps))
 */
export function createReminderPushProcessor(deps: ReminderDeps): JobProcessor {
  return {
    async run(job, signal) {
      if (job.kind !== 'reminder') throw new JobFailure('wrong_queue', false);
      let outcome: Awaited<ReturnType<typeof pushReminder>>;
      try {
        outcome = await runInJob({ person: job.openId, signal }, () => pushReminder(deps, job));
      } catch (err) {
        if (signal.aborted) throw new JobHandedBack();
        // Only Feishu's definite refusals (e.g. 230013, the person is out of the bot's reach)
        // end a reminder at once; anything else (Feishu busy, no limiter slot in time, a
        // store that did not answer on a loaded machine) is tried again with backoff. A send
        // that went out before the failure is not repeated: its uuid makes Feishu drop it.
        throw new JobFailure(failureCode(err), isPassingFault(err) || !(err instanceof FeishuApiError));
      }
      if (outcome === 'sent') deps.metrics?.reminders.inc({ outcome: 'sent' });
    },
    async giveUp(job, code) {
      if (job.kind !== 'reminder') return;
      deps.metrics?.reminders.inc({ outcome: 'failed' });
      deps.logger.warn({ passId: job.passId, person: job.openId, code }, 'reminder not sent');
      await deps.store.set(deps.keys.reminderFailed(job.passId, job.openId), code, { ttlMs: FAILED_TTL_MS });
    },
  };
}

/** YYYY-MM-DD of `at` in `timeZone`. */
function dayIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
