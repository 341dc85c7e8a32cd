import type { Translate } from '../src/i18n.js';
import type { Failure } from '../src/services/errors.js';
import { buttonRow, card, header, note, runIntentButton } from './common.js';
import type { CardContext } from './format.js';
import type { CardElement } from '../src/feishu/card.js';

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
export function errorCard(failure: Failure, t: Translate, _ctx: CardContext, retry?: RetryTarget) {
  const message = t(failure.key, { defaultValue: t('errors.generic') });
  const elements: CardElement[] = [{ tag: 'markdown', content: message }];
  if (failure.code) elements.push(note(t('common.errorCode', { code: failure.code })));
  if (retry && failure.retryable) elements.push(buttonRow([runIntentButton(t('errors.tryAgain'), retry.intent, retry.slots)]));
  return card(header(t('errors.title'), failure.retryable ? 'orange' : 'red'), elements, t('errors.title'));
}
