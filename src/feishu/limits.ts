import { storeKeys } from '../store/keys.js';
import type { RateRule } from '../store/types.js';
import type { FeishuApiName } from './types.js';

/**
 * One published limit: at most `max` calls in any window of `periodMs`, summed over
 * every instance of the app. `burst` calls may go back to back (default 1: evenly
 * spaced). Calls of APIs naming the same `bucket` share one budget (default: the API
 * name), e.g. message create and reply share the app's 50/s.
 */
export interface Rate {
  max: number;
  periodMs: number;
  burst?: number;
  bucket?: string;
}

/** Rates per API, plus the per-receiver (5/s to one user or chat) and per-message (card PATCH) scopes. */
export type FeishuLimits = Record<FeishuApiName | 'perReceiver' | 'perMessage', readonly Rate[]>;

/** Tests and operators replace whole entries, e.g. `{ 'payroll.paymentDetail': [perSecond(1)] }`. */
export type LimitOverrides = Partial<FeishuLimits>;

/** `n` per second, evenly spaced. */
export const perSecond = (n: number, bucket?: string): Rate => ({ max: n, periodMs: 1000, bucket });

/**
 * `n` per minute; a tenth of it may burst so an interactive request rarely waits,
 * while any 60 s window still holds at most `n` (see `toRule`).
 */
export const perMinute = (n: number, bucket?: string): Rate => ({
  max: n,
  periodMs: 60_000,
  burst: Math.max(1, Math.floor(n / 10)),
  bucket,
});

/** App-wide IM budget shared by message create and reply (1000/min & 50/s per app). */
const IM_SEND = 'im.send';

/**
 * Feishu's published per-app limits (operating contract and the API pages). Where no
 * limit is published we pick a conservative one and say so.
 */
export const PUBLISHED_LIMITS: FeishuLimits = {
  // Not published as a QPS figure; token fetches are rare (≈ once per 2 h per app).
  'auth.tenantToken': [perSecond(5), perMinute(100)],
  'im.message.create': [perSecond(50, IM_SEND), perMinute(1000, IM_SEND)],
  'im.message.reply': [perSecond(50, IM_SEND), perMinute(1000, IM_SEND)],
  'im.message.patch': [perSecond(50), perMinute(1000)],
  'interactive.card.update': [perSecond(50), perMinute(1000)],
  'corehr.leaveBalances': [perMinute(100)],
  'corehr.leaveTypes': [perMinute(100)],
  'corehr.idConvert': [perSecond(50), perMinute(1000)],
  'attendance.expireRecords': [perSecond(50)],
  'attendance.accrualPatch': [perSecond(50)],
  'payroll.paymentDetail': [perSecond(1)],
  'compensation.lumpSum': [perSecond(10)],
  // Contact user get: we assume the common contact tier, 1000/min & 50/s (conservative default).
  'contact.user': [perSecond(50), perMinute(1000)],
  // Unpublished; asked once a day per app at most.
  'bot.info': [perSecond(5), perMinute(100)],
  // 5 QPS towards one user, and per group shared by all bots.
  perReceiver: [perSecond(5)],
  // Card PATCH: 5 QPS per message.
  perMessage: [perSecond(5)],
};

/** Extra limiter scopes of one call. */
export interface LimitScope {
  receiver?: string;
  messageId?: string;
}

/** Builds the limiter rules of one call. */
export type LimitRules = (api: FeishuApiName, scope?: LimitScope) => RateRule[];

/**
 * Rule builder for one app: published limits with `overrides` applied, keys from
 * `storeKeys(appId).rateBucket`.
 *
 * @example
 * const rulesFor = createLimitRules('cli_a1', { 'payroll.paymentDetail': [perSecond(1)] })
 * await acquire(store, rulesFor('im.message.create', { receiver: 'ou_1' }), { maxWaitMs: 60_000 })
 */
export function createLimitRules(appId: string, overrides: LimitOverrides = {}): LimitRules {
  const limits: FeishuLimits = { ...PUBLISHED_LIMITS, ...overrides };
  const keys = storeKeys(appId);
  const scoped = (name: string, rates: readonly Rate[]) =>
    rates.map((r) => toRule(keys.rateBucket(`${r.bucket ?? name}:${r.periodMs}`), r));

  return (api, scope = {}) => {
    const rules = scoped(api, limits[api]);
    if (scope.receiver && (api === 'im.message.create' || api === 'im.message.reply')) {
      rules.push(...scoped(`im.receiver:${scope.receiver}`, limits.perReceiver.map(unbucketed)));
    }
    if (scope.messageId && api === 'im.message.patch') {
      rules.push(...scoped(`im.message:${scope.messageId}`, limits.perMessage.map(unbucketed)));
    }
    return rules;
  };
}

/**
 * GCRA with emission `limit / periodMs` and burst `b` admits up to `limit + b − 1`
 * grants in one window, so the rule's limit is lowered by `b − 1` to keep every
 * window within the published `max`.
 */
export function toRule(key: string, rate: Rate): RateRule {
  const burst = Math.max(1, Math.min(rate.burst ?? 1, rate.max));
  return { key, limit: rate.max - burst + 1, periodMs: rate.periodMs, burst };
}

// Scope rules are keyed by the receiver/message itself, never by a shared bucket.
const unbucketed = (r: Rate): Rate => ({ ...r, bucket: undefined });
