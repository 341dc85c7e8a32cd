import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';
import type { Store } from '../../store/types.js';
import type { StoreKeys } from '../../store/keys.js';

/** CompanyFlow settings from the configuration (`COMPANYFLOW_*`). */
export interface CompanyflowSettings {
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  leaveTypeIds: string[];
}

export interface CompanyflowDeps {
  settings: CompanyflowSettings;
  store: Store;
  keys: StoreKeys;
  logger: Logger;
  metrics: Metrics;
  /** Defaults to the global fetch, looked up per call so test interceptors apply. */
  fetch?: typeof fetch;
  /** Injected for tests; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

/** Why a CompanyFlow call failed, in terms the error mapping understands. */
export type CompanyflowFailure =
  | 'no_email'
  | 'token_missing'
  | 'token_rejected'
  | 'forbidden'
  | 'not_found'
  | 'unavailable'
  | 'bad_response'
  | 'not_configured';

/** A CompanyFlow failure. Carries no token, email or figures. */
export class CompanyflowError extends Error {
  constructor(
    readonly reason: CompanyflowFailure,
    readonly httpStatus?: number,
  ) {
    super(`companyflow: ${reason}${httpStatus ? ` (HTTP ${httpStatus})` : ''}`);
    this.name = 'CompanyflowError';
  }
}

/** Retries per call; CompanyFlow publishes no rate limit, so we stay modest. */
const MAX_ATTEMPTS = 3;
const BASE_BACKOFF_MS = 250;
const MAX_RETRY_AFTER_MS = 2_000;
const ATTEMPT_TIMEOUT_MS = 8_000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function retryDelayMs(res: Response | undefined, attempt: number): number {
  const header = res?.headers.get('retry-after');
  const seconds = header ? Number(header) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  return BASE_BACKOFF_MS * 2 ** attempt + Math.floor(Math.random() * 100);
}

function isRetryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * One CompanyFlow HTTP call with bounded retries on 429, 5xx and network errors.
 * Resolves with the final response (which may still be an error status);
 * rejects with CompanyflowError('unavailable') when every attempt failed.
 *
 * @example
 * const res = await sendWithRetry(deps, 'companyflow.balance', url, { headers })
 */
export async function sendWithRetry(deps: CompanyflowDeps, api: string, url: string, init: RequestInit): Promise<Response> {
  const doFetch = deps.fetch ?? ((input: string | URL | Request, i?: RequestInit) => globalThis.fetch(input, i));
  const sleep = deps.sleep ?? defaultSleep;
  const stopTimer = deps.metrics.outboundDuration.startTimer({ api });
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      let res: Response | undefined;
      try {
        res = await doFetch(url, { ...init, signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
      } catch (err) {
        deps.logger.warn({ api, attempt, err: (err as Error).name }, 'companyflow network error');
      }
      if (res && !isRetryable(res.status)) {
        deps.metrics.outboundCalls.inc({ api, result: res.ok ? 'ok' : String(res.status) });
        return res;
      }
      deps.metrics.outboundCalls.inc({ api, result: res ? String(res.status) : 'network' });
      if (attempt < MAX_ATTEMPTS - 1) await sleep(retryDelayMs(res, attempt));
    }
    throw new CompanyflowError('unavailable');
  } finally {
    stopTimer();
  }
}
