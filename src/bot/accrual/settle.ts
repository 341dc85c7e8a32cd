import { approvalCard, outcomeCard } from '../../../cards/accrual-edit.js';
import { expire, finishWrite, startWrite, type EditRequest } from '../../domain/accrual-edit.js';
import { dateIn } from '../../domain/calendar.js';
import { patchGrantRecord, timeOffsetMinutes } from '../../providers/feishu/grant-records.js';
import type { AccrualJob } from '../../jobs/types.js';
import { errorSummary } from '../../log.js';
import { auditFields } from '../../services/accrual/audit.js';
import { approversFor, flowUuid, type AccrualDeps } from './deps.js';
import { writeErrorCode, writeErrorText } from './write-errors.js';

export interface AccrualSettler {
  /**
   * Runs one queued step of a request: the nudge, the expiry or the write. Each re-checks
   * the stored request and does nothing once it has moved on; each is safe to run again
   * after a crash (sends carry uuids, the PATCH sets absolute values).
   */
  runJob(job: AccrualJob): Promise<void>;
  /** A step failed for good: a write in flight is recorded as failed (approvers get a retry). */
  giveUp(job: AccrualJob, code: string): Promise<void>;
  /** Brings every card of the request in line with its stored state and tells the requester. */
  settle(requestId: string): Promise<void>;
  /** Sends the approval cards of a freshly submitted request (idempotent: uuids per approver). */
  sendApprovalCards(request: EditRequest): Promise<void>;
}

/** @example const settler = createSettler(deps); await settler.runJob({ kind: 'accrual.write', editId, version: 3 }) */
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

  /**
   * The write of `job.version`: an approval stored at that version (claimed here, once),
   * a retry claimed at that version, or this job's own claim when it runs again after a
   * crash. A write that already has an outcome only brings the cards in line again.
   */
  async function write(job: AccrualJob): Promise<void> {
    const r = await requests.load(job.editId);
    if (!r) return;
    if (r.status === 'approved' && r.version === job.version) {
      const claimed = await requests.move(r.id, r.version, (current) => startWrite(current, 'approved', nowMs()));
      if (claimed.ok) await writeClaimed(claimed.request);
      return;
    }
    if (r.status === 'writing' && (r.version === job.version || r.version === job.version + 1)) return writeClaimed(r);
    const outcomeOfThis = r.version === job.version + 1 || r.version === job.version + 2;
    if ((r.status === 'written' || r.status === 'failed') && outcomeOfThis) await settle(r.id);
  }

  /** The 24 h nudge: the approval cards once more, while the request is still pending at the submitted version. */
  async function nudge(job: AccrualJob): Promise<void> {
    const r = await requests.load(job.editId);
    if (r?.status !== 'pending' || r.version !== job.version) return;
    // Sends first (uuids make a re-run send nothing new), then the one audit line.
    await sendApprovalCards(r, true);
    if (await requests.markNudged(r.id)) await audit.append({ at: nowMs(), event: 'nudged', actor: 'system', ...auditFields(r) });
  }

  /** The 7-day expiry: a request still pending at the submitted version is expired, every card says so, the requester is told. */
  async function expireJob(job: AccrualJob): Promise<void> {
    const r = await requests.load(job.editId);
    if (!r) return;
    if (r.status === 'pending' && r.version === job.version) {
      const moved = await requests.move(r.id, r.version, expire);
      if (!moved.ok) return;
      await audit.append({ at: nowMs(), event: 'expired', actor: 'system', ...auditFields(moved.request) });
    } else if (!(r.status === 'expired' && r.version === job.version + 1)) return;
    await settle(r.id);
  }

  async function runJob(job: AccrualJob): Promise<void> {
    if (job.kind === 'accrual.nudge') return nudge(job);
    if (job.kind === 'accrual.expire') return expireJob(job);
    return write(job);
  }

  async function giveUp(job: AccrualJob, code: string): Promise<void> {
    logger.error({ op: job.kind, editId: job.editId, version: job.version, code }, 'accrual job failed for good');
    if (job.kind !== 'accrual.write') return;
    let r = await requests.load(job.editId);
    if (r?.status === 'approved' && r.version === job.version) {
      const claimed = await requests.move(r.id, r.version, (current) => startWrite(current, 'approved', nowMs()));
      r = claimed.ok ? claimed.request : undefined;
    }
    if (r?.status !== 'writing' || (r.version !== job.version && r.version !== job.version + 1)) return;
    // Nothing Feishu said could be kept: the approvers read "no answer" and get a retry.
    const failed = await requests.move(r.id, r.version, (current) => finishWrite(current, 0));
    if (failed.ok) await audit.append({ at: nowMs(), event: 'failed', actor: 'system', ...auditFields(failed.request), errorCode: 0 });
    await settle(r.id);
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

  return { runJob, giveUp, settle, sendApprovalCards: (r) => sendApprovalCards(r) };
}
