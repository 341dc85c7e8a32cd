import { z } from 'zod';
import { FORM_FIELDS, outcomeCard } from '../../../cards/accrual-edit.js';
import { approve, cancel, expire, reject, startWrite, submit, type EditRequest, type Refusal, type Step } from '../../domain/accrual-edit.js';
import { auditFields, type AuditEvent } from '../../services/accrual/audit.js';
import type { Moved } from '../../services/accrual/requests.js';
import type { BotContext } from '../context.js';
import type { CardActionResult, IncomingCardAction } from '../events.js';
import { approversFor, flowUuid, type AccrualDeps } from './deps.js';
import type { Proposer } from './propose.js';
import { inputFromForm } from './propose.js';
import type { AccrualSettler } from './settle.js';

/** The value of every request button: its action, the request id and the version it was drawn for, nothing else. */
export const RequestButton = z
  .object({ action: z.string(), id: z.uuid(), v: z.coerce.number().int().positive() })
  .strict();
export type RequestButton = z.output<typeof RequestButton>;

export type RequestClickKind = 'submit' | 'cancel' | 'approve' | 'reject' | 'retry';

export interface AccrualClicks {
  /** Moves the request (one compare-and-set) and answers with a toast; refusals say why. */
  click(kind: RequestClickKind, ctx: BotContext, value: RequestButton, action: IncomingCardAction): Promise<CardActionResult>;
  /** The work after a successful move: cards, the write, telling people. */
  followUp(kind: RequestClickKind, ctx: BotContext, value: RequestButton, action: IncomingCardAction): Promise<void>;
  /** The proposal form was sent: only requesters get further. */
  formClick(ctx: BotContext): CardActionResult;
  formFollowUp(ctx: BotContext, action: IncomingCardAction): Promise<void>;
}

const toast = (type: 'success' | 'error' | 'warning' | 'info', content: string): CardActionResult => ({ toast: { type, content } });

/** A reason typed into the reject form, trimmed and bounded. */
function rejectReasonOf(action: IncomingCardAction): string | undefined {
  const raw = action.formValue?.[FORM_FIELDS.rejectReason];
  return typeof raw === 'string' && raw.trim() ? raw.trim().slice(0, 1000) : undefined;
}

/** @example const clicks = createClicks(deps, proposer, settler) */
export function createClicks(deps: AccrualDeps, proposer: Proposer, settler: AccrualSettler): AccrualClicks {
  const { requests, audit, jobs, timing } = deps;
  const nowMs = () => deps.now().getTime();

  /**
   * Whether the click would move the request (its button's version, and `step` allows
   * it). Jobs are queued only then, and before the move is stored: had the process died
   * right after the move, they still run.
   */
  async function wouldMove(value: RequestButton, step: (r: EditRequest) => Step): Promise<boolean> {
    const current = await requests.load(value.id);
    return current !== undefined && current.version === value.v && step(current).ok;
  }

  /** The write of the version a click is about to store, due after the guard delay; the follow-up runs it now. */
  const guardWrite = (value: RequestButton) => jobs.enqueue({ kind: 'accrual.write', editId: value.id, version: value.v + 1 }, { delayMs: timing.writeGuardMs });

  function refused(ctx: BotContext, refusal: Refusal, current?: EditRequest): CardActionResult {
    const by = current?.decidedBy ? ctx.t('accrual.toast.by', { who: current.decidedBy === ctx.openId ? ctx.t('accrual.you') : ctx.t('accrual.anotherApprover') }) : '';
    return toast(refusal === 'stale' || refusal === 'notFound' ? 'error' : 'warning', `${ctx.t(`accrual.toast.${refusal}`)}${by}`);
  }

  async function record(moved: Moved, event: AuditEvent, actor: string): Promise<void> {
    if (!moved.ok) return;
    await audit.append({ at: nowMs(), event, actor, ...auditFields(moved.request), ...(moved.request.rejectReason ? { rejectReason: moved.request.rejectReason } : {}) });
  }

  async function click(kind: RequestClickKind, ctx: BotContext, value: RequestButton, action: IncomingCardAction): Promise<CardActionResult> {
    const operator = ctx.openId;
    const approvers = deps.config.hr.approvers;
    const now = nowMs();
    switch (kind) {
      case 'submit': {
        const draft = await requests.load(value.id);
        if (draft && draft.requester === operator && approversFor(deps.config, operator).length === 0) return toast('warning', ctx.t('accrual.toast.noApprovers'));
        const step = (r: EditRequest) => submit(r, operator, now, timing.expiryMs);
        if (await wouldMove(value, step)) {
          // The 24 h nudge and the 7-day expiry, for the pending version this submit stores.
          const pending = { editId: value.id, version: value.v + 1 };
          await jobs.enqueue({ kind: 'accrual.nudge', ...pending }, { delayMs: timing.nudgeMs });
          await jobs.enqueue({ kind: 'accrual.expire', ...pending }, { delayMs: timing.expiryMs });
        }
        const moved = await requests.move(value.id, value.v, step);
        if (!moved.ok) return refused(ctx, moved.refusal, moved.request);
        await record(moved, 'submitted', operator);
        return { ...toast('success', ctx.t('accrual.toast.submitted')), followUp: true };
      }
      case 'cancel': {
        const moved = await requests.move(value.id, value.v, (r) => cancel(r, operator));
        if (!moved.ok) return refused(ctx, moved.refusal, moved.request);
        await record(moved, 'cancelled', operator);
        return { ...toast('success', ctx.t('accrual.toast.cancelled')), followUp: true };
      }
      case 'approve':
      case 'reject': {
        const reason = kind === 'reject' ? rejectReasonOf(action) : undefined;
        const step = kind === 'approve' ? (r: EditRequest) => approve(r, operator, approvers, now) : (r: EditRequest) => reject(r, operator, approvers, now, reason);
        if (kind === 'approve' && (await wouldMove(value, step))) await guardWrite(value);
        const moved = await requests.move(value.id, value.v, step);
        if (moved.ok) {
          await record(moved, kind === 'approve' ? 'approved' : 'rejected', operator);
          return { ...toast('success', ctx.t(kind === 'approve' ? 'accrual.toast.approved' : 'accrual.toast.rejected')), followUp: true };
        }
        // Overdue, and its expiry job has not run yet: mark it expired now, so every card says so.
        if (moved.refusal === 'expired' && moved.request?.status === 'pending') {
          const expired = await requests.move(value.id, moved.request.version, expire);
          await record(expired, 'expired', 'system');
          return { ...refused(ctx, 'expired'), followUp: expired.ok };
        }
        return refused(ctx, moved.refusal, moved.request);
      }
      case 'retry': {
        const step = (r: EditRequest) => startWrite(r, 'failed', now, { operator, approvers });
        if (await wouldMove(value, step)) await guardWrite(value);
        const moved = await requests.move(value.id, value.v, step);
        if (!moved.ok) return refused(ctx, moved.refusal, moved.request);
        await record(moved, 'retried', operator);
        return { ...toast('success', ctx.t('accrual.toast.retrying')), followUp: true };
      }
    }
  }

  async function followUp(kind: RequestClickKind, ctx: BotContext, value: RequestButton, action: IncomingCardAction): Promise<void> {
    const r = await requests.load(value.id);
    if (!r) return;
    switch (kind) {
      case 'submit':
      case 'cancel': {
        if (r.status === 'pending' && r.version === value.v + 1) await settler.sendApprovalCards(r);
        // The requester's confirmation card now shows where the request stands.
        const card = outcomeCard(r, ctx.t, ctx.locale);
        await deps.delivery.updateOrSend(action.openMessageId, r.requester, card, flowUuid(r.id, 'c', r.version));
        return;
      }
      case 'approve':
      case 'retry':
        // Found overdue on click: the cards say it expired.
        if (r.status === 'expired') return settler.settle(r.id);
        // The write this click queued (guarded): run it now, as a job of its own.
        return jobs.enqueue({ kind: 'accrual.write', editId: r.id, version: value.v + 1 });
      case 'reject':
        return settler.settle(r.id);
    }
  }

  function formClick(ctx: BotContext): CardActionResult {
    if (!deps.config.hr.requesters.includes(ctx.openId)) return toast('warning', ctx.t('accrual.toast.notRequester'));
    return { ...toast('info', ctx.t('accrual.toast.checking')), followUp: true };
  }

  async function formFollowUp(ctx: BotContext, action: IncomingCardAction): Promise<void> {
    const reply = await proposer.propose(ctx, inputFromForm(action.formValue));
    await deps.delivery.updateOrSend(action.openMessageId, ctx.openId, reply.card, `${action.eventId}-f`.slice(0, 50));
  }

  return { click, followUp, formClick, formFollowUp };
}
