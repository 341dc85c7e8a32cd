import type { Translate } from '../src/i18n.js';
import type { Failure } from '../src/services/errors.js';
import { buttonRow, card, header, note, runIntentButton } from './common.js';
import type { CardContext } from './format.js';
import type { ButtonElement, CardElement } from '../src/feishu/card.js';
import type { HrContact } from '../src/config.js';

/** The failures whose text tells the person to contact HR: with HR_CONTACT set, they get a button for it. */
export const CONTACT_HR_KEYS: ReadonlySet<string> = new Set([
  'errors.noHrRecord',
  'errors.noAccess',
  'errors.leavePlanSetup',
  'errors.leaveCalculation',
  'errors.cfNoEmail',
  'errors.cfNoToken',
  'errors.cfTokenRejected',
]);

/** Opens HR_CONTACT: its page, or a chat with that person (Feishu applink). No callback, so no click reaches the bot. */
function contactHrButton(label: string, contact: HrContact): ButtonElement {
  return {
    tag: 'button',
    text: { tag: 'plain_text', content: label },
    type: 'primary',
    behaviors: [{ type: 'open_url', default_url: contact.url }],
  };
}

/** What to re-run when the person presses "Try again" (intent and slots, never a person). */
export interface RetryTarget {
  intent: string;
  slots: Record<string, string | number>;
}

/**
 * A failed ask, in words a person understands, with the upstream code shown small for
 * HR support and a "Try again" button when a retry may help. Never a stack trace.
 *
 * @example
 * errorCard({ key: 'errors.payPeriodTooLong', code: '2500004', retryable: false }, t, ctx)
 */
export function errorCard(failure: Failure, t: Translate, _ctx: CardContext, retry?: RetryTarget, hrContact?: HrContact) {
  const message = t(failure.key, { defaultValue: t('errors.generic') });
  const elements: CardElement[] = [{ tag: 'markdown', content: message }];
  if (failure.code) elements.push(note(t('common.errorCode', { code: failure.code })));
  const buttons: ButtonElement[] = [];
  if (retry && failure.retryable) buttons.push(runIntentButton(t('errors.tryAgain'), retry.intent, retry.slots));
  if (hrContact && CONTACT_HR_KEYS.has(failure.key)) buttons.push(contactHrButton(t('errors.contactHr'), hrContact));
  if (buttons.length) elements.push(buttonRow(buttons));
  return card(header(t('errors.title'), failure.retryable ? 'orange' : 'red'), elements, t('errors.title'));
}
