import { z } from 'zod';
import { LOCALES } from './locales.js';
import { DateSlot, QuantitySlot, RecordIdSlot } from './slots.js';

/**
 * HR maker-checker for leave grant (accrual) record edits: one HR requester proposes,
 * a different HR approver decides, only then the record is written. A request moves
 * through these states; every move bumps `version`, and a button names the request id
 * and the version it was drawn for, so a stale, replayed or altered button never moves it.
 *
 *   draft ─submit→ pending ─approve→ approved ─→ writing ─→ written
 *     └─cancel→ cancelled   ├─reject→ rejected       └─→ failed ─retry→ writing
 *                           └─(7 days)→ expired
 *
 * Time-driven steps (the 24 h nudge, the 7-day expiry) and the write run as queued jobs
 * that name the request and a version, and re-check the stored request when they run.
 */
export const EDIT_STATUSES = ['draft', 'cancelled', 'pending', 'approved', 'rejected', 'expired', 'writing', 'written', 'failed'] as const;
export type EditStatus = (typeof EDIT_STATUSES)[number];

/** Pending requests expire after 7 days; approvers are nudged once after 24 h. */
export const EDIT_EXPIRY_MS = 7 * 24 * 3600_000;
export const EDIT_NUDGE_MS = 24 * 3600_000;
/**
 * A write is queued before the approval (or retry) is stored, due this long later; the
 * click's follow-up brings it forward. Had the process died in between, the write still
 * runs, this late.
 */
export const WRITE_GUARD_MS = 5 * 60_000;
/** Audit entries are kept at least 400 days. */
export const AUDIT_RETENTION_MS = 401 * 24 * 3600_000;

/** Quantity and expiry of a grant record; either may be unknown or unchanged. */
export const GrantValues = z.object({
  quantity: QuantitySlot.optional(),
  expirationDate: DateSlot.optional(),
});
export type GrantValues = z.output<typeof GrantValues>;

export const EditRequest = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  status: z.enum(EDIT_STATUSES),
  requester: z.string().min(1),
  employee: z.string().min(1),
  leaveTypeId: z.string().min(1),
  leaveTypeName: z.object({ 'zh-CN': z.string().optional(), 'en-US': z.string().optional() }),
  recordId: RecordIdSlot,
  /** `null`: the record could not be looked up, "before" is unknown (said so on every card). */
  before: GrantValues.extend({ unit: z.enum(['day', 'hour']).optional() }).nullable(),
  after: GrantValues,
  reason: z.string().min(1).max(3000),
  /** The language the requester proposed in: what they are told comes in it. */
  requesterLocale: z.enum(LOCALES).optional(),
  createdAt: z.number(),
  /** When it went to the approvers (ms). */
  submittedAt: z.number().optional(),
  expiresAt: z.number().optional(),
  decidedBy: z.string().optional(),
  decidedAt: z.number().optional(),
  rejectReason: z.string().max(1000).optional(),
  /** When the current write was claimed (ms). */
  writingSince: z.number().optional(),
  /** The last write's Feishu error code (0: no answer), when it failed. */
  errorCode: z.number().int().optional(),
  attempts: z.number().int().nonnegative().default(0),
});
export type EditRequest = z.output<typeof EditRequest>;

/** Why a click changed nothing; each has its own toast. */
export type Refusal =
  | 'notFound'
  | 'notRequester'
  | 'notApprover'
  | 'selfApproval'
  | 'expired'
  | 'alreadyDecided'
  | 'stale'
  | 'notFailed';

export type Step = { ok: true; next: EditRequest } | { ok: false; refusal: Refusal };

const advance = (r: EditRequest, patch: Partial<EditRequest>): Step => ({ ok: true, next: { ...r, ...patch, version: r.version + 1 } });
const refuse = (refusal: Refusal): Step => ({ ok: false, refusal });

/** Why a request that is not in `expected` refuses a click. */
function notIn(r: EditRequest, expected: EditStatus): Refusal {
  if (r.status === 'expired') return 'expired';
  return r.status === expected ? 'stale' : 'alreadyDecided';
}

/** The requester sends the draft for approval; it expires `expiryMs` (7 days) later. */
export function submit(r: EditRequest, operator: string, now: number, expiryMs = EDIT_EXPIRY_MS): Step {
  if (operator !== r.requester) return refuse('notRequester');
  if (r.status !== 'draft') return refuse(notIn(r, 'draft'));
  return advance(r, { status: 'pending', submittedAt: now, expiresAt: now + expiryMs });
}

/** The requester drops the draft. */
export function cancel(r: EditRequest, operator: string): Step {
  if (operator !== r.requester) return refuse('notRequester');
  if (r.status !== 'draft') return refuse(notIn(r, 'draft'));
  return advance(r, { status: 'cancelled' });
}

/** True once a pending request has passed its expiry. */
export function isOverdue(r: EditRequest, now: number): boolean {
  return r.status === 'pending' && r.expiresAt !== undefined && now >= r.expiresAt;
}

/** Checks common to approve and reject: an approver, not the requester, in time. */
function decide(r: EditRequest, operator: string, approvers: readonly string[], now: number): Refusal | undefined {
  if (!approvers.includes(operator)) return 'notApprover';
  if (operator === r.requester) return 'selfApproval';
  if (r.status !== 'pending') return notIn(r, 'pending');
  if (isOverdue(r, now)) return 'expired';
  return undefined;
}

export function approve(r: EditRequest, operator: string, approvers: readonly string[], now: number): Step {
  const refusal = decide(r, operator, approvers, now);
  return refusal ? refuse(refusal) : advance(r, { status: 'approved', decidedBy: operator, decidedAt: now });
}

export function reject(r: EditRequest, operator: string, approvers: readonly string[], now: number, reason?: string): Step {
  const refusal = decide(r, operator, approvers, now);
  if (refusal) return refuse(refusal);
  return advance(r, { status: 'rejected', decidedBy: operator, decidedAt: now, ...(reason ? { rejectReason: reason } : {}) });
}

/** Marks a pending request expired; the caller knows it is due (its expiry job ran, or a click found it overdue). */
export function expire(r: EditRequest): Step {
  return r.status === 'pending' ? advance(r, { status: 'expired' }) : refuse(notIn(r, 'pending'));
}

/** Claims the write: from `approved` (first try) or `failed` (retry by an approver). */
export function startWrite(r: EditRequest, from: 'approved' | 'failed', now: number, by?: { operator: string; approvers: readonly string[] }): Step {
  if (by && !by.approvers.includes(by.operator)) return refuse('notApprover');
  if (r.status !== from) return refuse(from === 'failed' ? 'notFailed' : notIn(r, from));
  return advance(r, { status: 'writing', attempts: r.attempts + 1, writingSince: now });
}

/** Records the write's outcome. */
export function finishWrite(r: EditRequest, errorCode?: number): Step {
  if (r.status !== 'writing') return refuse('alreadyDecided');
  if (errorCode === undefined) {
    const { errorCode: _dropped, ...rest } = r;
    return { ok: true, next: { ...rest, status: 'written', version: r.version + 1 } };
  }
  return advance(r, { status: 'failed', errorCode });
}

/** The statuses after which nothing more happens. */
export function isFinal(status: EditStatus): boolean {
  return status === 'cancelled' || status === 'rejected' || status === 'expired' || status === 'written';
}
