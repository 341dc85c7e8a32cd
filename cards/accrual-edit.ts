import type { EditRequest } from '../src/domain/accrual-edit.js';
import type { Locale } from '../src/domain/locales.js';
import { nameIn } from '../src/domain/names.js';
import type { ButtonElement, Card, CardElement, HeaderTemplate } from '../src/feishu/card.js';
import type { Translate } from '../src/i18n.js';
import { CLICK_LOCALE_FIELD } from '../src/bot/actions/click-locale.js';
import { buttonRow, card, escapeMarkdown, header, note } from './common.js';

/** Button values of the accrual-edit flow: the action, the request id and the version drawn for. Nothing else. */
export const ACCRUAL_ACTIONS = {
  submit: 'accrual.submit',
  cancel: 'accrual.cancel',
  approve: 'accrual.approve',
  reject: 'accrual.reject',
  retry: 'accrual.retry',
  form: 'accrual.form',
} as const;

/** Form field names of the proposal form and the reject form. */
export const FORM_FIELDS = {
  employee: 'employee',
  leaveType: 'leave_type',
  recordId: 'record_id',
  quantity: 'quantity',
  expirationDate: 'expiration_date',
  reason: 'reason',
  rejectReason: 'reject_reason',
} as const;

const plain = (content: string) => ({ tag: 'plain_text' as const, content });

/** A request's button; `lc` says which language the card is in, so the click answers in it. */
function requestButton(label: string, action: string, r: EditRequest, locale: Locale, type: ButtonElement['type'] = 'default'): ButtonElement {
  const value = { action, id: r.id, v: r.version, [CLICK_LOCALE_FIELD]: locale };
  return { tag: 'button', text: plain(label), type, behaviors: [{ type: 'callback', value }] };
}

/** `3 → 2.5 days`, with "unknown" when the record could not be looked up. */
function change(t: Translate, before: string | undefined, after: string | undefined, unknownBefore: boolean): string {
  const was = unknownBefore ? t('accrual.unknown') : (before ?? '—');
  if (after === undefined) return `${escapeMarkdown(was)} (${t('accrual.unchanged')})`;
  return `${escapeMarkdown(was)} → **${escapeMarkdown(after)}**`;
}

/** Employee, leave type, record, before → after, reason: what every card of the request shows. */
export function requestDetails(r: EditRequest, t: Translate, locale: Locale): CardElement[] {
  const unknownBefore = r.before === null;
  const unit = t(r.before?.unit === 'hour' ? 'accrual.hours' : 'accrual.days');
  const lines = [
    `**${t('accrual.employee')}**: <at id=${r.employee}></at>`,
    `**${t('accrual.leaveType')}**: ${escapeMarkdown(nameIn(r.leaveTypeName, locale, r.leaveTypeId))}`,
    `**${t('accrual.record')}**: ${r.recordId}`,
    `**${t('accrual.quantity')}** (${unit}): ${change(t, r.before?.quantity, r.after.quantity, unknownBefore)}`,
    `**${t('accrual.expiry')}**: ${change(t, r.before?.expirationDate, r.after.expirationDate, unknownBefore)}`,
    `**${t('accrual.reason')}**: ${escapeMarkdown(r.reason)}`,
    `**${t('accrual.requester')}**: <at id=${r.requester}></at>`,
  ];
  return [
    { tag: 'markdown', content: lines.join('\n') },
    ...(unknownBefore ? [note(t('accrual.beforeUnknown'))] : []),
  ];
}

/** The requester's check before anything is stored for approval. */
export function confirmCard(r: EditRequest, t: Translate, locale: Locale): Card {
  return card(
    header(t('accrual.confirmTitle'), 'blue'),
    [
      ...requestDetails(r, t, locale),
      { tag: 'markdown', content: t('accrual.confirmBody') },
      buttonRow([
        requestButton(t('accrual.submitButton'), ACCRUAL_ACTIONS.submit, r, locale, 'primary'),
        requestButton(t('accrual.cancelButton'), ACCRUAL_ACTIONS.cancel, r, locale),
      ]),
    ],
    t('accrual.confirmTitle'),
  );
}

/** What an approver sees while the request is pending: approve, or reject with an optional reason. */
export function approvalCard(r: EditRequest, t: Translate, locale: Locale, opts: { expiresOn: string; nudge?: boolean }): Card {
  return card(
    header(t(opts.nudge ? 'accrual.nudgeTitle' : 'accrual.approvalTitle'), opts.nudge ? 'orange' : 'blue'),
    [
      ...requestDetails(r, t, locale),
      note(t('accrual.expiresNote', { date: opts.expiresOn })),
      buttonRow([requestButton(t('accrual.approveButton'), ACCRUAL_ACTIONS.approve, r, locale, 'primary')]),
      {
        tag: 'form',
        name: 'reject_form',
        elements: [
          { tag: 'input', name: FORM_FIELDS.rejectReason, placeholder: plain(t('accrual.rejectReasonPlaceholder')), max_length: 1000 },
          { ...requestButton(t('accrual.rejectButton'), ACCRUAL_ACTIONS.reject, r, locale, 'danger'), form_action_type: 'submit', name: 'reject' },
        ],
      },
    ],
    t('accrual.approvalTitle'),
  );
}

const STATUS_TEMPLATE: Partial<Record<EditRequest['status'], HeaderTemplate>> = {
  written: 'green',
  rejected: 'red',
  expired: 'grey',
  cancelled: 'grey',
  failed: 'red',
  approved: 'turquoise',
  writing: 'turquoise',
};

/**
 * The request after it left `pending`: its outcome and who decided, on every approver's
 * card and for the requester. A failed write says why in words and offers approvers a retry.
 */
export function outcomeCard(r: EditRequest, t: Translate, locale: Locale, opts: { errorText?: string; forApprover?: boolean } = {}): Card {
  const who = r.decidedBy ? t('accrual.decidedBy', { who: `<at id=${r.decidedBy}></at>` }) : '';
  const status = t(`accrual.status.${r.status}`);
  const reject = r.status === 'rejected' && r.rejectReason ? `\n**${t('accrual.rejectReason')}**: ${escapeMarkdown(r.rejectReason)}` : '';
  const failure = r.status === 'failed' && opts.errorText ? `\n${escapeMarkdown(opts.errorText)}` : '';
  const elements: CardElement[] = [
    { tag: 'markdown', content: `**${status}** ${who}${reject}${failure}` },
    ...requestDetails(r, t, locale),
  ];
  if (r.status === 'failed' && r.errorCode) elements.push(note(t('common.errorCode', { code: r.errorCode })));
  if (r.status === 'failed' && opts.forApprover) {
    elements.push(buttonRow([requestButton(t('accrual.retryButton'), ACCRUAL_ACTIONS.retry, r, locale, 'primary')]));
  }
  return card(header(t('accrual.outcomeTitle'), STATUS_TEMPLATE[r.status] ?? 'blue', status), elements, status);
}

/** What the proposal form starts with (from the message) and what is still missing. */
export interface ProposalDraft {
  employee?: string;
  leaveTypeId?: string;
  recordId?: string;
  quantity?: string;
  expirationDate?: string;
  reason?: string;
}

/**
 * The proposal form: person picker, leave-type select, record id, quantity, expiry date
 * and reason, prefilled with what the message gave; `problem` says what to fix.
 */
export function proposalFormCard(
  draft: ProposalDraft,
  leaveTypes: Array<{ id: string; name: string }>,
  t: Translate,
  problem?: string,
): Card {
  const input = (name: string, label: string, value: string | undefined, max = 100): CardElement => ({
    tag: 'input',
    name,
    label: plain(label),
    placeholder: plain(label),
    max_length: max,
    ...(value ? { default_value: value } : {}),
  });
  return card(
    header(t('accrual.formTitle'), 'blue'),
    [
      { tag: 'markdown', content: problem ? `${t('accrual.formIntro')}\n**${problem}**` : t('accrual.formIntro') },
      {
        tag: 'form',
        name: 'proposal_form',
        elements: [
          { tag: 'select_person', name: FORM_FIELDS.employee, placeholder: plain(t('accrual.employee')), ...(draft.employee ? { initial_option: draft.employee } : {}) },
          {
            tag: 'select_static',
            name: FORM_FIELDS.leaveType,
            placeholder: plain(t('accrual.leaveType')),
            options: leaveTypes.slice(0, 50).map((lt) => ({ text: plain(lt.name), value: lt.id })),
            ...(draft.leaveTypeId ? { initial_option: draft.leaveTypeId } : {}),
          },
          input(FORM_FIELDS.recordId, t('accrual.record'), draft.recordId, 19),
          input(FORM_FIELDS.quantity, t('accrual.quantityDays'), draft.quantity, 12),
          {
            tag: 'date_picker',
            name: FORM_FIELDS.expirationDate,
            placeholder: plain(t('accrual.expiry')),
            ...(draft.expirationDate ? { initial_date: draft.expirationDate } : {}),
          },
          input(FORM_FIELDS.reason, t('accrual.reason'), draft.reason, 3000),
          {
            tag: 'button',
            text: plain(t('accrual.formButton')),
            type: 'primary',
            form_action_type: 'submit',
            name: 'propose',
            behaviors: [{ type: 'callback', value: { action: ACCRUAL_ACTIONS.form } }],
          },
        ],
      },
    ],
    t('accrual.formTitle'),
  );
}
