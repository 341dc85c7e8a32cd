import { z } from 'zod';
import type { OwnerDelivery } from '../bot/delivery.js';
import type { Config } from '../config.js';
import type { FeishuApi } from '../feishu/types.js';
import type { I18n } from '../i18n.js';
import type { WorkQueue } from '../jobs/types.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { abortableSleep } from '../store/limiter.js';
import type { StoreKeys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { fetchRosterPage, hasPositiveBalance, type RosterEntry } from './roster.js';

/**
 * Push jobs queued and not yet settled before the pass reads another page. Sends go out at
 * about 16/s (1000/min), so this keeps ~18 s of work queued: the sends never wait for a page,
 * and a pass over 100 000 people never holds more than a few hundred jobs.
 */
export const MAX_UNSETTLED = 300;
/** How often the pass looks for settled pushes while it waits. */
const SETTLE_POLL_MS = 200;
/** Outcomes read per round trip while settling; a chunk with none settled ends the scan. */
const SETTLE_CHUNK = 32;
/**
 * A pass whose pushes settle no further for this long counts the rest as failed
 * (`reminder_lost`: e.g. a push job BullMQ failed after repeated stalls) and ends.
 */
const STUCK_MS = 10 * 60_000;

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

/**
 * An execution of a pass that lost the pass to another execution of it (its queue job was
 * given out again after its lock lapsed) stops with this: it must neither write, count,
 * report nor release anything any more.
 */
export class PassSuperseded extends Error {
  readonly code = 'pass_superseded';
  constructor(readonly passId: string) {
    super('pass_superseded');
    this.name = 'PassSuperseded';
  }
}

/** The counts of a pass (checkpointed with its cursor, so a resumed pass counts nobody twice). */
export const PassCounts = z.object({
  pages: z.number().int().nonnegative(),
  employees: z.number().int().nonnegative(),
  /** People who were to get a card in this pass (positive balance, not opted out, not yet reminded). */
  due: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  skipped: z.object({
    optedOut: z.number().int().nonnegative(),
    zeroBalance: z.number().int().nonnegative(),
    alreadyReminded: z.number().int().nonnegative(),
  }),
  failed: z.number().int().nonnegative(),
  /** Error codes of the failures (ids and codes only). */
  failures: z.record(z.string(), z.number().int().nonnegative()),
});
export type PassCounts = z.output<typeof PassCounts>;

/** What one pass did; `failed` people are not marked, so the next pass tries them again. */
export interface PassSummary extends PassCounts {
  passId: string;
  period: string;
  durationMs: number;
  /** The floor set by Feishu's published limits: max(sends at 1000/min, pages at 100/min). */
  floorMs: number;
}

/** Where a pass stands: the first page not yet settled (undefined once all are), and the counts before it. */
export interface PassCheckpoint {
  cursor: string | undefined;
  startedAt: number;
  counts: PassCounts;
}

export interface PassOptions {
  passId: string;
  period: string;
  /** The queue of push jobs (BullMQ with Redis, in-process otherwise). */
  push: Pick<WorkQueue, 'enqueue'>;
  /** Resume from here (a checkpoint); undefined starts at the first page. */
  resume?: PassCheckpoint | undefined;
  /**
   * Called whenever pages are settled: resuming from `checkpoint` serves exactly the rest.
   * Answers false when this execution no longer holds the pass (nothing was written): the
   * pass then stops with `PassSuperseded`.
   */
  onCheckpoint?: (checkpoint: PassCheckpoint, summary: PassSummary) => Promise<boolean | void>;
  /**
   * Whether this execution still holds the pass (the fencing check, one store read), asked
   * before every page and every round of settling, and before the pass reports itself done.
   * False stops the pass with `PassSuperseded`.
   */
  fence?: () => Promise<boolean>;
  /** Live counts, whenever something moved (progress bar, logs). */
  onProgress?: (summary: PassSummary) => void;
  /** Stops between steps when aborted (shutdown); the checkpoint says where to resume. */
  signal?: AbortSignal;
}

export const zeroCounts = (): PassCounts => ({
  pages: 0,
  employees: 0,
  due: 0,
  sent: 0,
  skipped: { optedOut: 0, zeroBalance: 0, alreadyReminded: 0 },
  failed: 0,
  failures: {},
});

function addCounts(into: PassCounts, c: PassCounts): void {
  into.pages += c.pages;
  into.employees += c.employees;
  into.due += c.due;
  into.sent += c.sent;
  into.skipped.optedOut += c.skipped.optedOut;
  into.skipped.zeroBalance += c.skipped.zeroBalance;
  into.skipped.alreadyReminded += c.skipped.alreadyReminded;
  into.failed += c.failed;
  for (const [code, n] of Object.entries(c.failures)) into.failures[code] = (into.failures[code] ?? 0) + n;
}

const copyCounts = (c: PassCounts): PassCounts => ({ ...c, skipped: { ...c.skipped }, failures: { ...c.failures } });

/** A page read and queued, whose pushes have not all settled yet. */
interface OpenPage {
  /** The token that reads this page (a resume starts here). */
  token: string | undefined;
  counts: PassCounts;
  /** Due people whose push has not settled, in queue order. */
  pending: string[];
}

/**
 * One reminder pass: walks the balance report page by page, decides who is due (positive
 * balance, not opted out, not yet reminded in this period) and queues one push job per due
 * person (`src/reminders/push.ts`), whose id de-duplicates per person and period. Reading
 * waits while `MAX_UNSETTLED` pushes are outstanding, so the queue holds a few pages, never
 * the whole company. A page counts once all its pushes settled (sent, marked by another
 * pass, or failed for good); the checkpoint then moves past it.
 *
 * Idempotent per period: a person is marked once their card went out (the mark holds the
 * pass id) and the send's uuid is derived from period and person, so a re-run, a resumed
 * pass or a re-run push job sends nothing twice.
 *
 * @example
 * const summary = await runReminderPass(deps, { passId, period: reminderPeriod(cron, tz, now), push: queue })
 */
export async function runReminderPass(deps: ReminderDeps, opts: PassOptions): Promise<PassSummary> {
  const { store, keys } = deps;
  const startedAt = opts.resume?.startedAt ?? Date.now();
  const settledCounts = copyCounts(opts.resume?.counts ?? zeroCounts());
  const open: OpenPage[] = [];
  let token = opts.resume?.cursor;
  let more = opts.resume === undefined || token !== undefined;
  let lastMove = Date.now();

  const summary = (): PassSummary => {
    const live = copyCounts(settledCounts);
    for (const page of open) addCounts(live, page.counts);
    const durationMs = Date.now() - startedAt;
    return { passId: opts.passId, period: opts.period, ...live, durationMs, floorMs: Math.max(live.sent * 60, live.pages * 600) };
  };
  const unsettled = () => open.reduce((n, p) => n + p.pending.length, 0);

  /** Reads one page, counts its skips and queues its due people. */
  async function readPage(): Promise<void> {
    const page = await fetchRosterPage(deps.api, token, deps.config.timeZone);
    const entry: OpenPage = { token, counts: { ...zeroCounts(), pages: 1, employees: page.employees.length }, pending: [] };
    // Each person is queued as soon as they are decided: the first cards need not wait for the whole page.
    await Promise.all(
      page.employees.map(async (e) => {
        const verdict = await decide(e);
        if (verdict !== 'due' && verdict !== 'queue') {
          entry.counts.skipped[verdict]++;
          deps.metrics?.reminders.inc({ outcome: SKIP_LABEL[verdict] });
          return;
        }
        entry.counts.due++;
        entry.pending.push(e.openId);
        if (verdict === 'queue') {
          // A failure of an earlier execution of this pass is retried now: its code no longer counts.
          await store.del(keys.reminderFailed(opts.passId, e.openId));
          const job = { kind: 'reminder' as const, passId: opts.passId, period: opts.period, openId: e.openId, balances: e.rows };
          await opts.push.enqueue(job, { retryFailed: true });
        }
      }),
    );
    open.push(entry);
    token = page.next;
    more = token !== undefined;
  }

  /**
   * `queue` a push for a due person; `due` when this pass already sent them their card (a
   * resumed page: counted, nothing queued); else why they are skipped.
   */
  async function decide(e: RosterEntry): Promise<'queue' | 'due' | keyof PassCounts['skipped']> {
    if (!hasPositiveBalance(e)) return 'zeroBalance';
    const [optedOut, mark] = await Promise.all([store.isInSet(keys.reminderOptOuts(), e.openId), store.get(keys.reminded(opts.period, e.openId))]);
    if (optedOut) return 'optedOut';
    if (mark === opts.passId) return 'due';
    return mark ? 'alreadyReminded' : 'queue';
  }

  /**
   * Reads the outcomes of pending pushes, oldest first, a chunk per round trip; a full chunk
   * with nothing settled ends the scan (the queue works oldest first). Returns how many settled.
   */
  async function settle(): Promise<number> {
    const waiting = open.flatMap((page) => page.pending.map((openId) => ({ page, openId })));
    const done = new Set<string>();
    for (let i = 0; i < waiting.length; i += SETTLE_CHUNK) {
      const chunk = waiting.slice(i, i + SETTLE_CHUNK);
      const outcomes = await Promise.all(chunk.map(({ openId }) => outcomeOf(openId)));
      outcomes.forEach((o, j) => {
        if (o === undefined) return;
        const { page, openId } = chunk[j]!;
        done.add(openId);
        if (o.kind === 'sent') page.counts.sent++;
        else if (o.kind === 'failed') {
          page.counts.failed++;
          page.counts.failures[o.code] = (page.counts.failures[o.code] ?? 0) + 1;
        } else {
          // Marked by another pass meanwhile (passes do not overlap, so this is rare): not ours to count as due.
          page.counts.due--;
          page.counts.skipped.alreadyReminded++;
        }
      });
      if (outcomes.every((o) => o === undefined) && chunk.length === SETTLE_CHUNK) break;
    }
    if (done.size > 0) for (const page of open) page.pending = page.pending.filter((id) => !done.has(id));
    return done.size;
  }

  async function outcomeOf(openId: string): Promise<{ kind: 'sent' | 'other' } | { kind: 'failed'; code: string } | undefined> {
    const mark = await store.get(keys.reminded(opts.period, openId));
    if (mark) return { kind: mark === opts.passId ? 'sent' : 'other' };
    const code = await store.get(keys.reminderFailed(opts.passId, openId));
    return code ? { kind: 'failed', code } : undefined;
  }

  /** Moves settled pages from the front into the checkpointed counts. */
  async function retire(): Promise<void> {
    let moved = false;
    while (open[0] && open[0].pending.length === 0) {
      addCounts(settledCounts, open.shift()!.counts);
      moved = true;
    }
    if (!moved) return;
    const cursor = open[0]?.token ?? (more ? token : undefined);
    if ((await opts.onCheckpoint?.({ cursor, startedAt, counts: copyCounts(settledCounts) }, summary())) === false) throw new PassSuperseded(opts.passId);
  }

  async function fenced(): Promise<void> {
    // A store that does not answer now says nothing about who holds the pass: only a
    // definite "no longer ours" stops it (checkpoints, compare-and-set, still fence every write).
    if (opts.fence && !(await opts.fence().catch(() => true))) throw new PassSuperseded(opts.passId);
  }

  while (more || open.length > 0) {
    if (opts.signal?.aborted) throw new Error('pass stopped for shutdown');
    await fenced();
    let moved = false;
    while (more && unsettled() < MAX_UNSETTLED) {
      await fenced();
      await readPage();
      moved = true;
      if (opts.signal?.aborted) throw new Error('pass stopped for shutdown');
    }
    if ((await settle()) > 0) moved = true;
    await retire();
    if (moved) {
      lastMove = Date.now();
      opts.onProgress?.(summary());
      continue;
    }
    if (Date.now() - lastMove > STUCK_MS) {
      giveUpOnPending();
      await retire();
      continue;
    }
    await abortableSleep(SETTLE_POLL_MS, opts.signal);
  }

  function giveUpOnPending(): void {
    for (const page of open) {
      deps.logger.error({ passId: opts.passId, people: page.pending.length }, 'reminder pushes did not settle; counted as failed');
      page.counts.failed += page.pending.length;
      page.counts.failures.reminder_lost = (page.counts.failures.reminder_lost ?? 0) + page.pending.length;
      page.pending = [];
    }
  }

  // Only the execution that still holds the pass reports it done.
  await fenced();
  const done = summary();
  deps.metrics?.reminderPassSeconds.observe(done.durationMs / 1000);
  return done;
}

const SKIP_LABEL = {
  optedOut: 'skipped_opted_out',
  zeroBalance: 'skipped_zero_balance',
  alreadyReminded: 'skipped_already_reminded',
} as const;
