import { z } from 'zod';
import type { IncomingCardAction, IncomingEntry, IncomingMessage } from '../bot/events.js';
import { LeaveBalanceEntry } from '../providers/feishu/leave-balances.js';

/**
 * Work done after the ack, as queue jobs. Job data is validated on the way in (enqueue)
 * and on the way out (before a worker runs it): a job written by another version, or
 * tampered with in Redis, is failed with a code instead of reaching the bot.
 */
export const IncomingMessageData = z.looseObject({
  eventId: z.string(),
  messageId: z.string().min(1),
  chatId: z.string(),
  chatType: z.string(),
  messageType: z.string(),
  content: z.string(),
  senderOpenId: z.string().min(1),
  senderType: z.string(),
  mentions: z.array(z.looseObject({ key: z.string(), openId: z.string().optional(), name: z.string().optional() })),
  createTime: z.number(),
});

export const IncomingCardActionData = z.looseObject({
  eventId: z.string().min(1),
  operatorOpenId: z.string().min(1),
  value: z.record(z.string(), z.unknown()),
  formValue: z.record(z.string(), z.unknown()).optional(),
  openMessageId: z.string().optional(),
  openChatId: z.string().optional(),
  updateToken: z.string().optional(),
});

export const IncomingEntryData = z.looseObject({
  eventId: z.string().min(1),
  kind: z.enum(['menu', 'p2pEntered']),
  operatorOpenId: z.string().min(1),
  eventKey: z.string().max(30).optional(),
});

/**
 * The HR flow's own jobs: the 24 h nudge, the 7-day expiry and the grant-record write of
 * one accrual-edit request. They carry ids only (the request id and the version the job
 * acts on); the figures stay in the stored request, which each job reads and re-checks.
 */
export const ACCRUAL_JOB_KINDS = ['accrual.nudge', 'accrual.expire', 'accrual.write'] as const;
export type AccrualJobKind = (typeof ACCRUAL_JOB_KINDS)[number];
const accrualJobData = <K extends AccrualJobKind>(kind: K) =>
  z.object({ kind: z.literal(kind), editId: z.uuid(), version: z.number().int().positive() }).strict();

/**
 * One balance reminder: whose (open_id), for which period and pass, and the person's rows of
 * the balance report as read by the pass (so the push needs no balance call of its own).
 */
export const ReminderJobData = z
  .object({
    kind: z.literal('reminder'),
    passId: z.string().min(1),
    period: z.string().regex(/^\d{8}T\d{4}Z$/),
    openId: z.string().min(1),
    balances: z.array(LeaveBalanceEntry).max(200),
  })
  .strict();
export type ReminderJob = z.output<typeof ReminderJobData>;

export const WorkJobData = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), msg: IncomingMessageData, requestId: z.string().optional() }),
  z.object({ kind: z.literal('cardFollowUp'), action: IncomingCardActionData, requestId: z.string().optional() }),
  z.object({ kind: z.literal('entry'), entry: IncomingEntryData, requestId: z.string().optional() }),
  accrualJobData('accrual.nudge'),
  accrualJobData('accrual.expire'),
  accrualJobData('accrual.write'),
  ReminderJobData,
]);

/** A job of the accrual-edit flow: which request (`editId`) at which version. */
export interface AccrualJob {
  kind: AccrualJobKind;
  editId: string;
  version: number;
}

/** One piece of deferred work: a message to answer, the follow-up of a card click, a step of the HR flow, or a balance reminder. */
export type WorkJob =
  | ((
      | { kind: 'message'; msg: IncomingMessage }
      | { kind: 'cardFollowUp'; action: IncomingCardAction }
      | { kind: 'entry'; entry: IncomingEntry }
    ) & {
      /** The receiving request's id, so the job's log line joins the request's. */
      requestId?: string;
    })
  | AccrualJob
  | ReminderJob;

export function isAccrualJob(job: WorkJob): job is AccrualJob {
  return job.kind === 'accrual.nudge' || job.kind === 'accrual.expire' || job.kind === 'accrual.write';
}

/** How a job is queued. */
export interface EnqueueOptions {
  /**
   * Run it this long from now (0: at once). A job with the same id already waiting for a
   * later time is brought forward to this one; a running or sooner one is left alone.
   */
  delayMs?: number;
  /**
   * A job with the same id that failed for good (and is kept for inspection) is replaced and
   * runs again. Without it such a job stays as it is, like one still queued or running.
   */
  retryFailed?: boolean;
}

/**
 * What a failed job keeps (and logs): ids and an error code, never message text or pay.
 * Replaces the job's data when it has failed for good.
 */
export interface FailedJobRecord {
  kind: WorkJob['kind'];
  /** The message id, callback event id, accrual-edit request id and version, or reminder pass and person. */
  ref: string;
  /** open_id of the person it was for (`accrual` for the HR flow's jobs). */
  person: string;
  code: string;
}

/** Deterministic id: a second delivery of one message maps onto the same job. */
export function jobIdOf(job: WorkJob): string {
  // BullMQ refuses ':' in custom ids; Feishu ids use only [A-Za-z0-9_-], request ids are UUIDs.
  if (isAccrualJob(job)) return `${job.kind.replace('.', '-')}-${job.editId}-v${job.version}`;
  // One reminder per person and period (periods are [0-9TZ]).
  if (job.kind === 'reminder') return `rem-${job.period}-${job.openId}`;
  if (job.kind === 'entry') return `entry-${job.entry.eventId}`;
  return job.kind === 'message' ? `msg-${job.msg.messageId}` : `card-${job.action.eventId}`;
}

/**
 * A person's own question: a message, a menu click or first visit, a card click's follow-up.
 * These take turns in the queue and let a burst's acks go first; the HR flow's jobs and
 * reminders do neither.
 */
export function isQuestionJob(job: WorkJob): boolean {
  return job.kind === 'message' || job.kind === 'entry' || job.kind === 'cardFollowUp';
}

/** The lane of the HR flow's jobs: they are few, and nobody's turn is spent on them. */
export const ACCRUAL_LANE = 'accrual';

/** Whose job it is: fair turns in the queue and at scarce APIs go by person. */
export function personOf(job: WorkJob): string {
  if (isAccrualJob(job)) return ACCRUAL_LANE;
  if (job.kind === 'reminder') return job.openId;
  if (job.kind === 'entry') return job.entry.operatorOpenId;
  return job.kind === 'message' ? job.msg.senderOpenId : job.action.operatorOpenId;
}

/** What names the job in logs and in a failed job's record. */
export function refOf(job: WorkJob): string {
  if (isAccrualJob(job)) return `${job.editId}-v${job.version}`;
  if (job.kind === 'reminder') return `${job.passId}/${job.openId}`;
  if (job.kind === 'entry') return job.entry.eventId;
  return job.kind === 'message' ? job.msg.messageId : job.action.eventId;
}

export function failedRecord(job: WorkJob, code: string): FailedJobRecord {
  return { kind: job.kind, ref: refOf(job), person: personOf(job), code };
}

/**
 * One attempt failed. `retryable` faults (Feishu busy or down, no limiter slot in time)
 * are tried again with backoff; others fail the job at once. `code` is safe to keep.
 */
export class JobFailure extends Error {
  override readonly name = 'JobFailure';
  constructor(
    readonly code: string,
    readonly retryable: boolean,
  ) {
    super(code);
  }
}

/** The job was stopped for shutdown before it finished: queue it again, attempts unchanged. */
export class JobHandedBack extends Error {
  override readonly name = 'JobHandedBack';
  constructor() {
    super('handed back on shutdown');
  }
}

/** What a queue runs: one attempt, and the last word when the job fails for good. */
export interface JobProcessor {
  /** Runs one attempt; throws JobFailure or JobHandedBack (when `signal` aborted it). */
  run(job: WorkJob, signal: AbortSignal): Promise<void>;
  /** The job failed for good (retries exhausted or a permanent fault): tell the person. */
  giveUp(job: WorkJob, code: string): Promise<void>;
  /** The job was not run: its message had already been taken in by an earlier job (count it). */
  duplicate?(job: WorkJob): void;
}

export interface WorkQueueOptions {
  /** Jobs run at once per process. */
  concurrency?: number;
  /** Attempts per job, the first included. */
  attempts?: number;
  /** First retry pause; doubles per attempt. */
  backoffMs?: number;
}

export const DEFAULT_QUEUE_OPTIONS = { concurrency: 32, attempts: 3, backoffMs: 5_000 } as const;

/**
 * Durable (BullMQ, with REDIS_URL) or in-process (memory mode, not crash-safe) deferred
 * work. Both pass `test/jobs/queue.contract.ts`.
 */
export interface WorkQueue {
  readonly kind: 'memory' | 'bullmq';
  /**
   * True when the queue itself makes sure a message is answered once however often it is
   * enqueued within Feishu's retry window (BullMQ: job id, then a started mark), so the
   * intake enqueues without a claim of its own. False: the intake claims each delivery in
   * the store first (memory mode).
   */
  readonly dropsRepeatedMessages: boolean;
  /**
   * Queues a job, at once or after `delayMs` (durable with BullMQ: a delayed job outlives
   * the process that queued it). A job whose id is already queued or running is not added
   * again; one waiting for a later time is brought forward (see EnqueueOptions).
   */
  enqueue(job: WorkJob, opts?: EnqueueOptions): Promise<void>;
  /** Starts running jobs in this process (roles `all` and `worker`). */
  startWorker(processor: JobProcessor): void;
  /**
   * Stops taking jobs, hands running ones back (BullMQ: they are queued again for any
   * instance) or lets them finish (memory), and closes connections.
   */
  close(): Promise<void>;
  /** Jobs running in this process. */
  running(): number;
  /** Resolves when the queue answers (readiness). */
  ping(): Promise<void>;
  /**
   * Resolves once nothing is queued, running or waiting for a retry (tests, tools; not
   * shutdown). Jobs queued with a delay that has not passed yet do not count.
   */
  idle?(): Promise<void>;
}

/** Parses job data read back from a queue; undefined when it is not a valid job. */
export function parseJob(data: unknown): WorkJob | undefined {
  const parsed = WorkJobData.safeParse(data);
  return parsed.success ? (parsed.data as WorkJob) : undefined;
}
