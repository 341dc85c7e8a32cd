import { z } from 'zod';
import { ACCRUAL_ACTIONS } from '../../../cards/accrual-edit.js';
import { RequestButton, type RequestClickKind } from '../accrual/decide.js';
import { defineAction } from './types.js';

/**
 * One request button of the accrual-edit flow. The value carries only the request id and
 * version; who acts is always the callback's operator. The move happens in the callback
 * (one compare-and-set, so a toast can say why nothing changed); cards, the write and
 * messages follow as deferred work.
 */
function requestAction<N extends string>(name: N, kind: RequestClickKind) {
  return defineAction({
    name,
    value: RequestButton.extend({ action: z.literal(name) }).strict(),
    build: ({ accrual }) => ({
      handle: ({ ctx, value, action }) => accrual.clicks.click(kind, ctx, value, action),
      followUp: ({ ctx, value, action }) => accrual.clicks.followUp(kind, ctx, value, action),
    }),
  });
}

export const accrualSubmitAction = requestAction(ACCRUAL_ACTIONS.submit, 'submit');
export const accrualCancelAction = requestAction(ACCRUAL_ACTIONS.cancel, 'cancel');
export const accrualApproveAction = requestAction(ACCRUAL_ACTIONS.approve, 'approve');
export const accrualRejectAction = requestAction(ACCRUAL_ACTIONS.reject, 'reject');
export const accrualRetryAction = requestAction(ACCRUAL_ACTIONS.retry, 'retry');

/** The proposal form's send button: its fields arrive as `form_value`; the answer goes to the operator. */
export const accrualFormAction = defineAction({
  name: ACCRUAL_ACTIONS.form,
  value: z.object({ action: z.literal(ACCRUAL_ACTIONS.form) }).strict(),
  build: ({ accrual }) => ({
    handle: async ({ ctx }) => accrual.clicks.formClick(ctx),
    followUp: ({ ctx, action }) => accrual.clicks.formFollowUp(ctx, action),
  }),
});
