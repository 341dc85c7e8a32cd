import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CompanyflowError, sendWithRetry, type CompanyflowDeps } from './http.js';

const TokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().optional(),
});

/** Tokens are dropped this long before CompanyFlow says they expire. */
const EXPIRY_MARGIN_S = 60;

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const EMAIL_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:email';

/** Concurrent asks of one person share one exchange (per process; the store covers instances). */
const inFlight = new Map<string, Promise<string>>();

/** Store-key fragment for an email: a hash, so neither the store nor logs hold the address. */
export function subjectHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
}

/**
 * An employee-scoped CompanyFlow bearer token for `email`, from the store when cached,
 * else by token exchange (cached until ~60 s before expiry). Never log the result.
 *
 * @example
 * const token = await employeeToken(deps, 'li.lei@example.com')
 */
export async function employeeToken(deps: CompanyflowDeps, email: string): Promise<string> {
  const key = deps.keys.companyflowToken(subjectHash(email));
  const cached = await deps.store.get(key);
  if (cached) return cached;
  const running = inFlight.get(key);
  if (running) return running;
  const exchange = exchangeToken(deps, email, key).finally(() => inFlight.delete(key));
  inFlight.set(key, exchange);
  return exchange;
}

/** Forgets a cached token that CompanyFlow no longer accepts. */
export async function forgetEmployeeToken(deps: CompanyflowDeps, email: string): Promise<void> {
  await deps.store.del(deps.keys.companyflowToken(subjectHash(email)));
}

async function exchangeToken(deps: CompanyflowDeps, email: string, key: string): Promise<string> {
  const { settings } = deps;
  const body = new URLSearchParams({
    grant_type: TOKEN_EXCHANGE,
    client_id: settings.clientId,
    client_secret: settings.clientSecret,
    subject_token: email,
    subject_token_type: EMAIL_TOKEN_TYPE,
  });
  const res = await sendWithRetry(deps, 'companyflow.token', settings.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body,
  });
  if (!res.ok) {
    deps.logger.warn({ api: 'companyflow.token', status: res.status }, 'companyflow token exchange rejected');
    throw new CompanyflowError(res.status === 404 ? 'token_missing' : 'token_rejected', res.status);
  }
  const parsed = TokenAnswer.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) throw new CompanyflowError('token_missing', res.status);
  const ttlS = (parsed.data.expires_in ?? 0) - EXPIRY_MARGIN_S;
  if (ttlS > 0) await deps.store.set(key, parsed.data.access_token, { ttlMs: ttlS * 1000 });
  return parsed.data.access_token;
}
