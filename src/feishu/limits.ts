import { storeKeys } from '../store/keys.js';
import type { RateRule } from '../store/types.js';
import { FEISHU_APIS, PER_MESSAGE, PER_RECEIVER, type FeishuApiName, type PublishedRate } from './apis.js';

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
export const perMinute = (n: number, bucket?: string, burst = Math.max(1, Math.floor(n / 10))): Rate => ({
  max: n,
  periodMs: 60_000,
  burst,
  bucket,
});

/** A catalogue entry's published rate as the limiter applies it. */
function rateOf(published: PublishedRate): Rate {
  if (published.per === 'second') return perSecond(published.max, published.bucket);
  // Fast per-minute limits (calls < 100 ms apart, e.g. IM's 1000/min) keep only a small burst:
  // every burst slot costs sustained rate (see `toRule`), and replies come in floods.
  const fast = 60_000 / published.max < 100;
  return perMinute(published.max, published.bucket, fast ? Math.max(1, Math.floor(published.max / 100)) : undefined);
}

function publishedLimits(): FeishuLimits {
  const names = Object.keys(FEISHU_APIS) as FeishuApiName[];
  const perApi = Object.fromEntries(names.map((name) => [name, FEISHU_APIS[name].limits.map(rateOf)]));
  return { ...(perApi as Record<FeishuApiName, Rate[]>), perReceiver: PER_RECEIVER.map(rateOf), perMessage: PER_MESSAGE.map(rateOf) };
}

/** Feishu's published per-app limits, read from the API catalogue (`apis.ts`). */
export const PUBLISHED_LIMITS: FeishuLimits = publishedLimits();

/**
 * Scarce APIs whose waiters take turns per person (see `createFairGate`), so that one
 * person's burst cannot hold everybody else's answers back.
 */
export const FAIR_SHARE_APIS: ReadonlySet<FeishuApiName> = new Set<FeishuApiName>([
  'payroll.paymentDetail',
  'compensation.lumpSum',
  'corehr.leaveBalances',
]);

/** Extra spacing per call on strict low rates: what a busy event loop or network may squeeze out. */
export const JITTER_ALLOWANCE_MS = 50;

/**
 * Safety margin on every published limit: our grants are timed by the store's clock, but
 * calls reach Feishu with network and event-loop jitter. Strict low rates (evenly spaced,
 * ≥ 100 ms apart, e.g. payroll 1/s) are spaced 10 % + 50 ms wider (payroll: one call per
 * 1.15 s; one receiver: one message per 270 ms), so two calls never land within one
 * published interval. Fast per-second rates (calls < 100 ms apart, e.g. expire records' and
 * IM's 50/s) are spaced 20 % wider: their window is short, and calls granted evenly reach
 * Feishu bunched by up to a couple of hundred ms on a busy machine (measured in the reminder
 * pass: 50 grants in 1.07 s still put 51 calls into one second). Per-minute rates get 2 %
 * plus one jitter allowance per window.
 */
export function withMargin(rate: Rate): Rate {
  const strict = (rate.burst ?? 1) === 1 && rate.periodMs / rate.max >= 100;
  const periodMs = strict
    ? rate.periodMs * 1.1 + JITTER_ALLOWANCE_MS * rate.max
    : rate.periodMs <= 1000
      ? rate.periodMs * 1.2
      : rate.periodMs * 1.02 + JITTER_ALLOWANCE_MS;
  return { ...rate, periodMs };
}

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
    rates.map((r) => toRule(keys.rateBucket(`${r.bucket ?? name}:${r.periodMs}`), withMargin(r)));

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
