import { reminderCard } from '../../cards/reminder.js';
import { withClickLocale } from '../bot/actions/click-locale.js';
import type { OwnerDelivery } from '../bot/delivery.js';
import type { Config } from '../config.js';
import { normaliseLocale } from '../domain/locales.js';
import type { FeishuApi } from '../feishu/types.js';
import type { I18n } from '../i18n.js';
import { runInJob } from '../jobs/context.js';
import { failureCode } from '../jobs/runner.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { StoreKeys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { EXPIRY_WINDOW_DAYS, expiryTypesOf, fetchExpiringGrants } from './expiring.js';
import { fetchRosterPage, hasPositiveBalance, type RosterEntry } from './roster.js';

/** "Reminded this period" marks outlive any period a cron would sensibly use (monthly + slack). */
const REMINDED_TTL_MS = 45 * 24 * 3600_000;
/**
 * Pages served at once: later pages' people look up their expiring grants and queue their
 * sends while this page's go out, so one slow person (a retried call) never idles the sends.
 */
const PAGES_IN_FLIGHT = 4;

export interface ReminderDeps {
  config: Config;
  store: Store;
  keys: StoreKeys;
  api: FeishuApi;
  delivery: OwnerDelivery;
  i18n: I18n;
  logger: Logger;
  metrics?: Metrics | undefined;
  now?: () => Date;
}

/** What one pass did; `failed` people are not marked, so the next pass tries them again. */
export interface PassSummary {
  passId: string;
  period: string;
  pages: number;
  employees: number;
  /** People who were to get a card in this pass (positive balance, not opted out, not yet reminded). */
  due: number;
  sent: number;
  skipped: { optedOut: number; zeroBalance: number; alreadyReminded: number };
  failed: number;
  /** Error codes of the failures (ids and codes only). */
  failures: Record<string, number>;
  durationMs: number;
  /** The floor set by Feishu's published limits: max(sends at 1000/min, pages at 100/min). */
  floorMs: number;
}

export interface PassOptions {
  passId: string;
  period: string;
  /** Resume from this page token (a checkpoint); undefined starts at the first page. */
  cursor?: string | undefined;
  /** Called after each finished page with the token of the first unfinished page (undefined: all done). */
  onCheckpoint?: (cursor: string | undefined, summary: PassSummary) => Promise<void>;
  /** Stops between pages when aborted (shutdown); the checkpoint says where to resume. */
  signal?: AbortSignal;
}

/**
 * One reminder pass: walks the balance report page by page and sends each due person one
 * card by open_id, in their language, with their balances and grants expiring within 60
 * days. Idempotent per period: a person is marked once their card went out (and the send's
 * uuid is derived from period and person), so a re-run or a resumed pass sends nothing twice.
 *
 * @example
 * const summary = await runReminderPass(deps, { passId, period: reminderPeriod(cron, tz, now) })
 */
export async function runReminderPass(deps: ReminderDeps, opts: PassOptions): Promise<PassSummary> {
  const started = Date.now();
  const summary: PassSummary = {
    passId: opts.passId,
    period: opts.period,
    pages: 0,
    employees: 0,
    due: 0,
    sent: 0,
    skipped: { optedOut: 0, zeroBalance: 0, alreadyReminded: 0 },
    failed: 0,
    failures: {},
    durationMs: 0,
    floorMs: 0,
  };
  const finish = () => {
    summary.durationMs = Date.now() - started;
    summary.floorMs = Math.max(summary.sent * 60, summary.pages * 600);
  };
  const inFlight: Array<{ token: string | undefined; work: Promise<void> }> = [];
  let token = opts.cursor;
  try {
    do {
      if (opts.signal?.aborted) throw new Error('pass stopped for shutdown');
      const page = await fetchRosterPage(deps.api, token, deps.config.timeZone);
      summary.pages++;
      summary.employees += page.employees.length;
      inFlight.push({ token, work: Promise.all(page.employees.map((e) => serve(deps, opts, e, summary))).then(() => undefined) });
      token = page.next;
      if (inFlight.length >= PAGES_IN_FLIGHT) {
        await inFlight.shift()!.work;
        finish();
        await opts.onCheckpoint?.(inFlight[0]!.token, summary);
      }
    } while (token);
    while (inFlight.length > 0) {
      await inFlight.shift()!.work;
      finish();
      await opts.onCheckpoint?.(inFlight[0]?.token, summary);
    }
  } finally {
    // People already being served finish (their sends are idempotent) before any error leaves.
    await Promise.all(inFlight.map((p) => p.work));
    finish();
  }
  deps.metrics?.reminderPassSeconds.observe(summary.durationMs / 1000);
  return summary;
}

/** One employee: skip (zero balance, opted out, already reminded) or send their card and mark them. */
async function serve(deps: ReminderDeps, opts: PassOptions, entry: RosterEntry, summary: PassSummary): Promise<void> {
  const { store, keys } = deps;
  const count = (outcome: string) => deps.metrics?.reminders.inc({ outcome });
  if (!hasPositiveBalance(entry)) {
    summary.skipped.zeroBalance++;
    return void count('skipped_zero_balance');
  }
  try {
    const [optedOut, reminded] = await Promise.all([
      store.isInSet(keys.reminderOptOuts(), entry.openId),
      store.get(keys.reminded(opts.period, entry.openId)),
    ]);
    if (optedOut) {
      summary.skipped.optedOut++;
      return void count('skipped_opted_out');
    }
    if (reminded) {
      summary.skipped.alreadyReminded++;
      return void count('skipped_already_reminded');
    }
    summary.due++;
    await runInJob({ person: entry.openId, signal: opts.signal }, () => sendReminder(deps, opts, entry));
    await store.set(keys.reminded(opts.period, entry.openId), opts.passId, { ttlMs: REMINDED_TTL_MS });
    summary.sent++;
    count('sent');
  } catch (err) {
    const code = failureCode(err);
    summary.failed++;
    summary.failures[code] = (summary.failures[code] ?? 0) + 1;
    count('failed');
    deps.logger.warn({ passId: opts.passId, person: entry.openId, code }, 'reminder not sent');
  }
}

async function sendReminder(deps: ReminderDeps, opts: PassOptions, entry: RosterEntry): Promise<void> {
  const now = deps.now?.() ?? new Date();
  const locale = normaliseLocale(await deps.store.get(deps.keys.userLocale(entry.openId))) ?? deps.config.defaultLocale;
  const from = dayIn(now, deps.config.timeZone);
  const to = dayIn(new Date(now.getTime() + EXPIRY_WINDOW_DAYS * 24 * 3600_000), deps.config.timeZone);
  const types = expiryTypesOf(entry.balances, deps.config.reminders.expiryLeaveTypes);
  const expiring = (
    await Promise.all(types.map((b) => fetchExpiringGrants(deps.api, { openId: entry.openId, leaveTypeId: b.leaveTypeId, from, to })))
  ).flat();
  const card = withClickLocale(reminderCard(entry.balances, expiring, deps.i18n.t(locale), { locale, timeZone: deps.config.timeZone, now }), locale);
  await deps.delivery.sendToOwner(entry.openId, card, `rem-${opts.period}-${entry.openId}`);
}

/** YYYY-MM-DD of `at` in `timeZone`. */
function dayIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
