import { z } from 'zod';
import { approvalCard, outcomeCard } from '../../../cards/accrual-edit.js';
import { EDIT_EXPIRY_MS, EDIT_NUDGE_MS, expire, finishWrite, isFinal, isOverdue, isStuckWrite, startWrite, type EditRequest } from '../../domain/accrual-edit.js';
import { dateIn } from '../../domain/calendar.js';
import { patchGrantRecord, timeOffsetMinutes } from '../../providers/feishu/grant-records.js';
import { errorSummary } from '../../log.js';
import { auditFields } from '../../services/accrual/audit.js';
import { approversFor, flowUuid, type AccrualDeps } from './deps.js';
import { writeErrorCode, writeErrorText } from './write-errors.js';

/** Job data of a write: the request and the version at which this write was claimed. */
export const AccrualWriteJob = z.object({ requestId: z.string().min(1), version: z.number().int().positive() });
export type AccrualWriteJob = z.output<typeof AccrualWriteJob>;

/** Sweep of pending requests: nudge after 24 h (once), expire after 7 days. */
const SWEEP_LOCK_MS = 60_000;

export interface AccrualSettler {
  /** Claims an approved request's write (exactly one caller wins) and runs it. */
  claimAndWrite(requestId: string, approvedVersion: number): Promise<void>;
  /** Runs a write claimed at `version` (job handler; safe to run again after a crash). */
  runWrite(job: AccrualWriteJob): Promise<void>;
  /** Brings every card of the request in line with its stored state and tells the requester. */
  settle(requestId: string): Promise<void>;
  /** Sends the approval cards of a freshly submitted request (idempotent: uuids per approver). */
  sendApprovalCards(request: EditRequest): Promise<void>;
  /** Nudges (24 h, once) and expires (7 days) pending requests; finishes writes whose process died. */
  sweep(): Promise<{ nudged: number; expired: number; written: number }>;
}

/** @example const settler = createSettler(deps); await settler.claimAndWrite(id, 3) */
export function createSettler(deps: AccrualDeps): AccrualSettler {
  const { requests, audit, delivery, logger } = deps;
  const nowMs = () => deps.now().getTime();

  async function sendApprovalCards(r: EditRequest, nudge = false): Promise<void> {
    for (const approver of approversFor(deps.config, r.requester)) {
      const ctx = await deps.contextFor(approver);
      const expiresOn = r.expiresAt ? dateIn(new Date(r.expiresAt), deps.config.timeZone) : '—';
      const card = approvalCard(r, ctx.t, ctx.locale, { expiresOn, nudge });
      const messageId = await delivery.sendToOwner(approver, card, flowUuid(r.id, `${nudge ? 'n' : 'a'}${approver.slice(-8)}-`, r.version));
      await requests.addCard(r.id, approver, messageId);
    }
  }

  async function writeClaimed(r: EditRequest): Promise<void> {
    let errorCode: number | undefined;
    try {
      await patchGrantRecord(deps.feishu, {
        employeeOpenId: r.employee,
        leaveTypeId: r.leaveTypeId,
        recordId: r.recordId,
        after: r.after,
        reason: { zh: r.reason, en: r.reason },
        timeOffset: timeOffsetMinutes(deps.config.timeZone, deps.now()),
      });
    } catch (err) {
      errorCode = writeErrorCode(err);
      logger.warn({ op: 'accrual_write', requestId: r.id, code: errorCode, err: errorSummary(err, { message: false }) }, 'grant record write failed');
    }
    const done = await requests.move(r.id, r.version, (current) => finishWrite(current, errorCode));
    if (done.ok) {
      await audit.append({ at: nowMs(), event: errorCode === undefined ? 'written' : 'failed', actor: 'system', ...auditFields(done.request), ...(errorCode !== undefined ? { errorCode } : {}) });
    }
    await settle(r.id);
  }

  async function runWrite(job: AccrualWriteJob): Promise<void> {
    const r = await requests.load(job.requestId);
    // Only the claim of this very job; a later state means the write already finished.
    if (r?.status === 'writing' && r.version === job.version) await writeClaimed(r);
  }

  async function claimAndWrite(requestId: string, approvedVersion: number): Promise<void> {
    const claimed = await requests.move(requestId, approvedVersion, (r) => startWrite(r, 'approved', nowMs()));
    if (claimed.ok) return writeClaimed(claimed.request);
    // Run again after a crash between the claim and the outcome: the claim is ours (PATCH sets absolute values).
    if (claimed.request?.status === 'writing' && claimed.request.version === approvedVersion + 1) return writeClaimed(claimed.request);
    await settle(requestId);
  }

  /** The requester's context, in the language they proposed in unless they chose one since. */
  async function requesterContext(r: EditRequest) {
    const ctx = await deps.contextFor(r.requester);
    const chosen = await deps.store.get(deps.keys.userLocale(r.requester));
    if (chosen || !r.requesterLocale || r.requesterLocale === ctx.locale) return ctx;
    return { ...ctx, locale: r.requesterLocale, t: deps.i18n.t(r.requesterLocale) };
  }

  async function settle(requestId: string): Promise<void> {
    const r = await requests.load(requestId);
    if (!r || r.status === 'draft' || r.status === 'pending' || r.status === 'cancelled') return;
    // Approved and writing requests stay in the sweep's set until their write has an outcome.
    if (isFinal(r.status) || r.status === 'failed') await deps.store.removeFromSet(deps.keys.accrualPending(), r.id);
    const errorFor = async (openId: string) => writeErrorText((await deps.contextFor(openId)).t, r.errorCode);
    for (const { openId, messageId } of await requests.cards(r.id)) {
      const ctx = await deps.contextFor(openId);
      const card = outcomeCard(r, ctx.t, ctx.locale, { errorText: await errorFor(openId), forApprover: true });
      await delivery.updateOrSend(messageId, openId, card, flowUuid(r.id, `u${openId.slice(-8)}-`, r.version));
    }
    // The requester hears of the outcome (not of the intermediate "approved, writing…").
    if (r.status === 'written' || r.status === 'failed' || r.status === 'rejected' || r.status === 'expired') {
      const ctx = await requesterContext(r);
      const card = outcomeCard(r, ctx.t, ctx.locale, { errorText: writeErrorText(ctx.t, r.errorCode) });
      await delivery.sendToOwner(r.requester, card, flowUuid(r.id, 'r', r.version));
    }
  }

  async function nudgeOrExpire(id: string, now: number): Promise<'nudged' | 'expired' | 'written' | undefined> {
    const r = await requests.load(id);
    if (r && isStuckWrite(r, now)) {
      // Its process died after the approval: finish the write (the PATCH sets absolute values).
      if (r.status === 'approved') await claimAndWrite(r.id, r.version);
      else await writeClaimed(r);
      return 'written';
    }
    if (!r || r.status !== 'pending') {
      if (!r || isFinal(r.status) || r.status === 'failed') await deps.store.removeFromSet(deps.keys.accrualPending(), id);
      return undefined;
    }
    if (isOverdue(r, now)) {
      const moved = await requests.move(id, r.version, (current) => expire(current, now));
      if (!moved.ok) return undefined;
      await audit.append({ at: now, event: 'expired', actor: 'system', ...auditFields(moved.request) });
      await settle(id);
      return 'expired';
    }
    const submittedAt = (r.expiresAt ?? now) - EDIT_EXPIRY_MS;
    if (now - submittedAt >= EDIT_NUDGE_MS && (await requests.markNudged(id))) {
      await sendApprovalCards(r, true);
      await audit.append({ at: now, event: 'nudged', actor: 'system', ...auditFields(r) });
      return 'nudged';
    }
    return undefined;
  }

  async function sweep(): Promise<{ nudged: number; expired: number; written: number }> {
    const counts = { nudged: 0, expired: 0, written: 0 };
    const lock = `${process.pid}-${nowMs()}`;
    if (!(await deps.store.setIfAbsent(deps.keys.accrualSweepLock(), lock, SWEEP_LOCK_MS))) return counts;
    try {
      const now = nowMs();
      for (const id of await deps.store.setMembers(deps.keys.accrualPending())) {
        const done = await nudgeOrExpire(id, now);
        if (done) counts[done] += 1;
      }
    } finally {
      await deps.store.delIfEquals(deps.keys.accrualSweepLock(), lock);
    }
    return counts;
  }

  return { claimAndWrite, runWrite, settle, sendApprovalCards: (r) => sendApprovalCards(r), sweep };
}
