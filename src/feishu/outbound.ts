import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { abortableSleep, acquire, createLocalSpacing, LimiterTimeoutError } from '../store/limiter.js';
import type { Store } from '../store/types.js';
import { currentJob } from '../jobs/context.js';
import { createFairGate, type FairGate } from './fair-gate.js';
import { FAIR_SHARE_APIS, type LimitRules, type LimitScope } from './limits.js';
import type { Exchange, Reply } from './transport.js';
import { FeishuApiError, RateLimitTimeoutError, type FeishuApiName, type FeishuRequest } from './types.js';

/** Retry policy for 429 / 99991400 / 5xx / network failures. */
export interface RetryPolicy {
  /** Retries after the first attempt. Default 4. */
  maxRetries?: number;
  /** First backoff; doubles per attempt, with jitter. Default 250 ms. */
  baseDelayMs?: number;
  /** Cap of one backoff. Default 4 s. */
  maxDelayMs?: number;
  /** Stop retrying once backoff waits would exceed this in total. Default 10 s. */
  maxTotalWaitMs?: number;
  /** Cap of one wait taken from `x-ogw-ratelimit-reset`. Default 60 s. */
  maxResetWaitMs?: number;
}

/** Feishu's body codes that mean "slow down" (besides HTTP 429): 99991400 generic, 230020 per chat, 11232 tenant IM. */
export const RATE_LIMIT_CODES: ReadonlySet<number> = new Set([99991400, 230020, 11232]);

/**
 * When each strictly spaced bucket's next call may leave this process. The limiter's slot
 * is kept at "go"; this keeps it at the socket, so a stall between the two (a busy event
 * loop) cannot squeeze calls of this process closer together at Feishu's side.
 */
const sentSpacing = createLocalSpacing();

/** One outbound attempt loop: limiter, HTTP, retries. Resolves with the last reply. */
export type Send = (
  api: FeishuApiName,
  req: FeishuRequest,
  opts: { token?: string; scope?: LimitScope; maxWaitMs?: number },
) => Promise<Reply>;

/**
 * Builds the one place where every Feishu call is throttled and retried, in this order
 * per attempt: shared limiter (all rules of the API plus receiver/message scopes), the
 * HTTP exchange, then the retry decision. Business answers (code ≠ 0, 4xx) come back
 * as they are; only exhausted transient failures throw (FeishuApiError, transient).
 *
 * @example
 * const send = createSend({ store, rulesFor, exchange, logger, metrics, sleep })
 * const reply = await send('corehr.leaveTypes', { method: 'GET', url }, { token })
 */
export function createSend(deps: {
  store: Store;
  rulesFor: LimitRules;
  exchange: Exchange;
  logger: Logger;
  metrics: Metrics;
  sleep: (ms: number) => Promise<void>;
  retry?: RetryPolicy;
  random?: () => number;
}): Send {
  const policy = {
    maxRetries: 4,
    baseDelayMs: 250,
    maxDelayMs: 4000,
    maxTotalWaitMs: 10_000,
    maxResetWaitMs: 60_000,
    ...deps.retry,
  };
  const random = deps.random ?? Math.random;

  const gates = new Map<FeishuApiName, FairGate>();
  const gateOf = (api: FeishuApiName): FairGate => {
    let gate = gates.get(api);
    if (!gate) gates.set(api, (gate = createFairGate()));
    return gate;
  };

  /**
   * Waits for the call's slot: one reservation in the shared store, then a sleep. Scarce
   * APIs first wait for the person's turn in this process (round robin across people).
   * A job being handed back (shutdown) stops waiting at once.
   */
  async function throttle(api: FeishuApiName, scope: LimitScope | undefined, maxWaitMs: number): Promise<void> {
    const rules = deps.rulesFor(api, scope);
    const job = currentJob();
    const started = performance.now();
    const go = async (wait: number) => {
      await acquire(deps.store, rules, { maxWaitMs: wait, signal: job?.signal, onDelay: job?.onSlotWait });
    };
    try {
      if (FAIR_SHARE_APIS.has(api)) await gateOf(api).enter(job?.person ?? '', maxWaitMs, go, job?.signal);
      else await go(maxWaitMs);
      deps.metrics.limiterWait.observe({ api }, (performance.now() - started) / 1000);
    } catch (err) {
      if (err instanceof LimiterTimeoutError) throw new RateLimitTimeoutError(api, maxWaitMs);
      throw err;
    }
  }

  return async (api, req, opts) => {
    let backoffWaited = 0;
    for (let attempt = 0; ; attempt++) {
      await throttle(api, opts.scope, opts.maxWaitMs ?? 60_000);
      const rules = deps.rulesFor(api, opts.scope);
      const behind = sentSpacing.claim(rules, performance.now());
      if (behind > 0) await abortableSleep(behind, currentJob()?.signal);
      const reply = await deps.exchange(req, opts.token);
      const trouble = transientTrouble(reply);
      if (!trouble) return reply;

      const fromHeader = trouble === 'rate_limited' ? resetWaitMs(reply, policy.maxResetWaitMs) : undefined;
      const wait = fromHeader ?? backoffMs(attempt, policy.baseDelayMs, policy.maxDelayMs, random);
      const withinBudget = fromHeader !== undefined || backoffWaited + wait <= policy.maxTotalWaitMs;
      const fields = { api, status: reply.status, code: bodyCode(reply.body), attempt, trouble };
      if (attempt >= policy.maxRetries || !withinBudget) {
        deps.logger.warn(fields, 'feishu call failed after retries');
        throw exhausted(api, reply, trouble);
      }
      deps.logger.info({ ...fields, waitMs: wait }, 'feishu call retrying');
      deps.metrics.outboundCalls.inc({ api, result: 'retry' });
      if (fromHeader === undefined) backoffWaited += wait;
      await deps.sleep(wait);
    }
  };
}

type Trouble = 'rate_limited' | 'server_error' | 'network_error';

/** What makes a reply worth retrying, if anything. */
export function transientTrouble(reply: Reply): Trouble | undefined {
  if (reply.status === 0) return 'network_error';
  const code = bodyCode(reply.body);
  if (reply.status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) return 'rate_limited';
  if (reply.status >= 500) return 'server_error';
  return undefined;
}

/** `x-ogw-ratelimit-reset` is in seconds; undefined when absent or unreadable. */
function resetWaitMs(reply: Reply, capMs: number): number | undefined {
  const raw = reply.header('x-ogw-ratelimit-reset');
  const seconds = raw === undefined ? NaN : Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  // A little slack so we don't arrive just before the window turns.
  return Math.min(capMs, Math.ceil(seconds * 1000) + 50);
}

/** Exponential backoff with jitter in [d/2, d], so instances that failed together spread out. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const d = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(d / 2 + (random() * d) / 2);
}

function exhausted(api: FeishuApiName, reply: Reply, trouble: Trouble): FeishuApiError {
  if (trouble === 'network_error') {
    return new FeishuApiError(api, 0, `network error: ${reply.networkError ?? 'unknown'}`);
  }
  return new FeishuApiError(
    api,
    bodyCode(reply.body) ?? 0,
    bodyMsg(reply.body) ?? `HTTP ${reply.status}`,
    reply.status,
    reply.header('x-tt-logid'),
  );
}

/** Feishu's `code` in a JSON body, if any. */
export function bodyCode(body: unknown): number | undefined {
  return isRecord(body) && typeof body.code === 'number' ? body.code : undefined;
}

/** Feishu's `msg` in a JSON body, if any. */
export function bodyMsg(body: unknown): string | undefined {
  return isRecord(body) && typeof body.msg === 'string' ? body.msg : undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
