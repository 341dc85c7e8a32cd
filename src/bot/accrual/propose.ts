import { z } from 'zod';
import { confirmCard, FORM_FIELDS, proposalFormCard, type ProposalDraft } from '../../../cards/accrual-edit.js';
import { noticeCard } from '../../../cards/notice.js';
import { dateIn } from '../../domain/calendar.js';
import { leaveTypeCodeOf, type LeaveTypeCode } from '../../domain/leave-types.js';
import { allNames, nameIn, namesFromI18n, type LocalizedName } from '../../domain/names.js';
import { DateSlot, QuantitySlot, RecordIdSlot } from '../../domain/slots.js';
import { fetchLeaveTypes, type LeaveTypeName } from '../../providers/feishu/leave-types.js';
import { findGrantRecord, timeOffsetMinutes, type GrantLookup } from '../../providers/feishu/grant-records.js';
import { errorSummary } from '../../log.js';
import { auditFields } from '../../services/accrual/audit.js';
import type { BotContext, Reply } from '../context.js';
import type { AccrualDeps } from './deps.js';

/** What a proposal may carry, from a message (slots and mentions) or from the form. */
export interface ProposalInput extends ProposalDraft {
  leaveTypeCode?: LeaveTypeCode | undefined;
  /** The message gave a change ("减少1.5天", "deduct 2 days") rather than the new quantity. */
  relativeChange?: boolean;
}

/** An open_id as Feishu writes it; anything else in a form is refused. */
const OpenIdValue = z.string().regex(/^ou_[\w-]{1,64}$/);
const LEAVE_TYPES_TTL_MS = 60 * 60 * 1000;
const CachedTypes = z.array(z.object({ id: z.string(), names: z.array(z.object({ lang: z.string(), value: z.string() })) }));

/** One form field as text: inputs give strings, pickers may give a one-element list. */
function field(form: Record<string, unknown> | undefined, name: string): string | undefined {
  const raw = form?.[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** The proposal form's values as a proposal; a date picker answers `2026-12-31 +0800`. */
export function inputFromForm(form: Record<string, unknown> | undefined): ProposalInput {
  const date = field(form, FORM_FIELDS.expirationDate)?.slice(0, 10);
  const input: ProposalInput = {};
  const set = <K extends keyof ProposalInput>(key: K, value: ProposalInput[K] | undefined) => {
    if (value !== undefined) input[key] = value;
  };
  set('employee', field(form, FORM_FIELDS.employee));
  set('leaveTypeId', field(form, FORM_FIELDS.leaveType));
  set('recordId', field(form, FORM_FIELDS.recordId));
  set('quantity', field(form, FORM_FIELDS.quantity));
  set('expirationDate', date);
  set('reason', field(form, FORM_FIELDS.reason)?.slice(0, 3000));
  return input;
}

/** What may prefill the form again: only values that passed their checks (never a forged one). */
function validOnly(input: ProposalInput, types: LeaveTypeName[]): ProposalDraft {
  const ok = <T>(value: T | undefined, valid: (v: T) => boolean): T | undefined => (value !== undefined && valid(value) ? value : undefined);
  const draft: ProposalDraft = {};
  const employee = ok(input.employee, (v) => OpenIdValue.safeParse(v).success);
  const leaveTypeId = ok(input.leaveTypeId, (v) => types.some((lt) => lt.id === v));
  const recordId = ok(input.recordId, (v) => RecordIdSlot.safeParse(v).success);
  const quantity = ok(input.quantity, (v) => QuantitySlot.safeParse(v).success);
  const expirationDate = ok(input.expirationDate, (v) => DateSlot.safeParse(v).success);
  if (employee) draft.employee = employee;
  if (leaveTypeId) draft.leaveTypeId = leaveTypeId;
  if (recordId) draft.recordId = recordId;
  if (quantity) draft.quantity = quantity;
  if (expirationDate) draft.expirationDate = expirationDate;
  if (input.reason) draft.reason = input.reason;
  return draft;
}

export interface Proposer {
  /** A proposal from a requester: the confirmation card, a form for what is missing, or why not. */
  propose(ctx: BotContext, input: ProposalInput): Promise<Reply>;
}

/** @example const proposer = createProposer(deps); await proposer.propose(ctx, { employee: 'ou_x', … }) */
export function createProposer(deps: AccrualDeps): Proposer {
  async function tenantLeaveTypes(): Promise<LeaveTypeName[]> {
    const cached = await deps.store.get(deps.keys.leaveTypes());
    if (cached) {
      try {
        const parsed = CachedTypes.safeParse(JSON.parse(cached));
        if (parsed.success) return parsed.data;
      } catch {
        // fall through to Feishu
      }
    }
    try {
      const types = await fetchLeaveTypes(deps.feishu);
      await deps.store.set(deps.keys.leaveTypes(), JSON.stringify(types), { ttlMs: LEAVE_TYPES_TTL_MS });
      return types;
    } catch (err) {
      deps.logger.warn({ op: 'accrual_leave_types', err: errorSummary(err, { message: false }) }, 'leave types unavailable');
      return [];
    }
  }

  /** Checks each piece; returns the problems in words (empty when complete). */
  function problems(ctx: BotContext, input: ProposalInput, types: LeaveTypeName[]): string[] {
    const out: string[] = [];
    if (!input.employee || !OpenIdValue.safeParse(input.employee).success) out.push(ctx.t('accrual.missing.employee'));
    if (!input.leaveTypeId || !types.some((lt) => lt.id === input.leaveTypeId)) out.push(ctx.t('accrual.missing.leaveType'));
    if (!input.recordId || !RecordIdSlot.safeParse(input.recordId).success) out.push(ctx.t('accrual.missing.record'));
    const quantityOk = input.quantity === undefined || QuantitySlot.safeParse(input.quantity).success;
    const dateOk = input.expirationDate === undefined || DateSlot.safeParse(input.expirationDate).success;
    if (!quantityOk) out.push(ctx.t('accrual.missing.quantity'));
    if (!dateOk) out.push(ctx.t('accrual.missing.expiry'));
    // A change by an amount is not the record's new quantity: ask for the new total, even when
    // an expiry was given (proposing the expiry alone would drop what HR asked for).
    if (input.quantity === undefined && input.relativeChange) out.push(ctx.t('accrual.missing.newTotal'));
    else if (input.quantity === undefined && input.expirationDate === undefined) out.push(ctx.t('accrual.missing.change'));
    if (!input.reason) out.push(ctx.t('accrual.missing.reason'));
    return out;
  }

  function leaveTypeIdOf(code: LeaveTypeCode | undefined, types: LeaveTypeName[]): string | undefined {
    if (!code) return undefined;
    const matches = types.filter((lt) => leaveTypeCodeOf(allNames(namesFromI18n(lt.names))) === code);
    return matches.length === 1 ? matches[0]?.id : undefined;
  }

  async function lookup(ctx: BotContext, input: Required<Pick<ProposalInput, 'employee' | 'leaveTypeId' | 'recordId'>>): Promise<GrantLookup | undefined> {
    try {
      return await findGrantRecord(deps.feishu, {
        employeeOpenId: input.employee,
        leaveTypeId: input.leaveTypeId,
        recordId: input.recordId,
        today: dateIn(ctx.now, ctx.timeZone),
        timeOffset: timeOffsetMinutes(ctx.timeZone, ctx.now),
      });
    } catch (err) {
      deps.logger.warn({ op: 'accrual_lookup', err: errorSummary(err, { message: false }) }, 'grant record lookup failed');
      return undefined;
    }
  }

  async function propose(ctx: BotContext, given: ProposalInput): Promise<Reply> {
    if (!deps.config.hr.requesters.includes(ctx.openId)) {
      return { card: noticeCard(ctx.t('accrual.title'), ctx.t('accrual.notAllowed'), 'orange'), sensitive: false };
    }
    const types = await tenantLeaveTypes();
    const input: ProposalInput = { ...given, ...(given.leaveTypeId ? {} : { leaveTypeId: leaveTypeIdOf(given.leaveTypeCode, types) }) };
    const missing = problems(ctx, input, types);
    const { employee, leaveTypeId, recordId, reason } = input;
    if (missing.length > 0 || !employee || !leaveTypeId || !recordId || !reason) {
      const options = types.map((lt) => ({ id: lt.id, name: nameIn(namesFromI18n(lt.names), ctx.locale, lt.id) }));
      return { card: proposalFormCard(validOnly(input, types), options, ctx.t, missing.join(ctx.t('accrual.listSeparator'))), sensitive: true };
    }
    const found = await lookup(ctx, { employee, leaveTypeId, recordId });
    if (found && found.kind !== 'found') {
      return { card: noticeCard(ctx.t('accrual.title'), ctx.t(`accrual.lookup.${found.kind}`, { record: recordId }), 'orange'), sensitive: true };
    }
    const type = types.find((lt) => lt.id === leaveTypeId);
    const leaveTypeName: LocalizedName = type ? namesFromI18n(type.names) : {};
    const request = await deps.requests.create({
      requester: ctx.openId,
      employee,
      leaveTypeId,
      leaveTypeName,
      recordId,
      before: found?.kind === 'found' ? found.before : null,
      after: { ...(input.quantity !== undefined ? { quantity: input.quantity } : {}), ...(input.expirationDate ? { expirationDate: input.expirationDate } : {}) },
      reason,
      requesterLocale: ctx.locale,
      createdAt: ctx.now.getTime(),
    });
    await deps.audit.append({ at: ctx.now.getTime(), event: 'proposed', actor: ctx.openId, ...auditFields(request) });
    return { card: confirmCard(request, ctx.t, ctx.locale), sensitive: true };
  }

  return { propose };
}
