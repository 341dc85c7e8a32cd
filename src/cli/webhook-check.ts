import { randomUUID } from 'node:crypto';
import { withoutTrailingSlashes, type Config } from '../config.js';
import { encryptEnvelope, signedHeaders } from '../http/crypto.js';

/** The two receiver paths Feishu is configured with (contract: HTTP endpoints). */
export const WEBHOOK_PATHS = ['/webhook/event', '/webhook/card'] as const;

/** Feishu wants the URL check answered within 1 s; allow the network some slack. */
const CHECK_TIMEOUT_MS = 5_000;

export interface WebhookCheck {
  ok: boolean;
  line: string;
}

/**
 * What Feishu sends when an operator saves the request URL: a `url_verification` with the
 * verification token, encrypted and signed when an Encrypt Key is set.
 */
function urlVerificationRequest(config: Config, challenge: string): RequestInit {
  const plain = JSON.stringify({ challenge, token: config.feishu.verificationToken, type: 'url_verification' });
  const key = config.feishu.encryptKey;
  if (!key) return { method: 'POST', headers: { 'content-type': 'application/json' }, body: plain };
  const body = JSON.stringify({ encrypt: encryptEnvelope(plain, key) });
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signedHeaders(new TextEncoder().encode(body), key) },
    body,
  };
}

/**
 * Posts the URL check to both webhook paths under `baseUrl`, as Feishu would, and says in
 * plain words what came back.
 *
 * @example
 * await checkWebhooks(config, 'https://hr-bot.example.com') // [{ ok: true, line: 'webhook …/webhook/event: answers …' }, …]
 */
export async function checkWebhooks(config: Config, baseUrl: string): Promise<WebhookCheck[]> {
  let base: URL;
  try {
    base = new URL(baseUrl);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error('not http(s)');
  } catch {
    return [{ ok: false, line: `webhook: --url ${baseUrl} is not an http(s) URL` }];
  }
  if (config.feishu.eventMode === 'websocket') {
    return [{ ok: true, line: 'webhook: not served in websocket mode (events arrive over the long connection); nothing to check' }];
  }
  const checks: WebhookCheck[] = [];
  for (const path of WEBHOOK_PATHS) {
    // A base with a path (a proxy prefix such as /hr-bot) keeps it.
    const url = `${withoutTrailingSlashes(base.origin + base.pathname)}${path}`;
    const challenge = randomUUID();
    try {
      const res = await fetch(url, { ...urlVerificationRequest(config, challenge), signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
      const answer: unknown = await res.json().catch(() => undefined);
      const echoed = typeof answer === 'object' && answer !== null && (answer as { challenge?: unknown }).challenge === challenge;
      if (res.status === 200 && echoed) {
        checks.push({ ok: true, line: `webhook ${url}: answers Feishu's URL check` });
      } else if (res.status === 401) {
        checks.push({ ok: false, line: `webhook ${url}: refused the URL check (401) — the server there has another verification token or Encrypt Key` });
      } else {
        checks.push({ ok: false, line: `webhook ${url}: answered ${res.status}${echoed ? '' : ' without the challenge'} — is the bot (this version) behind that URL?` });
      }
    } catch (err) {
      const cause = err instanceof Error ? ((err.cause as { code?: string } | undefined)?.code ?? err.name) : 'error';
      checks.push({ ok: false, line: `webhook ${url}: not reachable (${cause}) — check the public URL, DNS, TLS and the proxy in front of the bot` });
    }
  }
  return checks;
}
