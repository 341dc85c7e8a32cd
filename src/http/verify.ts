import { createHash } from 'node:crypto';
import {
  DecryptError,
  decryptEnvelope,
  eventSignature,
  hexDigestEqual,
  legacyCardSignature,
  safeEqual,
} from './crypto.js';
import {
  EncryptedBody,
  LegacyCardCallback,
  UrlVerification,
  V1Envelope,
  V2Envelope,
  isJsonObject,
} from './schemas.js';

/** A request that passed every check, by kind. */
export type Delivery =
  | { kind: 'challenge'; challenge: string }
  | { kind: 'event'; envelope: V2Envelope }
  | { kind: 'legacy-event'; eventType: string }
  | { kind: 'legacy-card'; callback: LegacyCardCallback; eventId: string };

/** Why a request was refused. `reason` is a short metric label; `message` goes back to the caller. */
export interface Rejection {
  status: 400 | 401;
  reason: string;
  message: string;
}

export interface VerifyOptions {
  verificationToken: string;
  encryptKey: string | undefined;
  /**
   * Accept legacy message-card callbacks (SHA-1 signed): only on the card path and only with
   * `FEISHU_LEGACY_CARD_CALLBACKS=true`. Off, they are refused with 401 whatever they carry.
   */
  allowLegacyCard: boolean;
  /** Largest accepted distance between `X-Lark-Request-Timestamp` and now. */
  maxSkewMs: number;
  now: () => number;
}

/** The only headers verification reads; Web `Headers` fits. */
export interface HeaderReader {
  get(name: string): string | null;
}

const reject = (status: 400 | 401, reason: string, message: string): Rejection => ({ status, reason, message });
const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Which secret, if any, vouched for the raw bytes. */
type SignedBy = 'encrypt-key' | 'verification-token-sha1' | undefined;

function checkSignature(raw: Uint8Array, headers: HeaderReader, opts: VerifyOptions): SignedBy | Rejection {
  const signature = headers.get('x-lark-signature');
  if (!signature) return undefined;
  const timestamp = headers.get('x-lark-request-timestamp');
  const nonce = headers.get('x-lark-request-nonce');
  if (!timestamp || !nonce) return reject(401, 'signature_headers', 'X-Lark-Request-Timestamp and X-Lark-Request-Nonce are required with X-Lark-Signature');
  let signedBy: SignedBy;
  if (opts.allowLegacyCard && signature.length === 40) {
    if (!hexDigestEqual(signature, legacyCardSignature(timestamp, nonce, opts.verificationToken, raw))) {
      return reject(401, 'bad_signature', 'signature does not match');
    }
    signedBy = 'verification-token-sha1';
  } else if (opts.encryptKey) {
    if (!hexDigestEqual(signature, eventSignature(timestamp, nonce, opts.encryptKey, raw))) {
      return reject(401, 'bad_signature', 'signature does not match');
    }
    signedBy = 'encrypt-key';
  } else {
    // Without an Encrypt Key Feishu signs nothing we could check; the token below decides.
    return undefined;
  }
  // The timestamp is covered by the signature, so only now can it be trusted to judge replays.
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
  if (!Number.isFinite(seconds) || Math.abs(opts.now() - seconds * 1000) > opts.maxSkewMs) {
    return reject(401, 'stale_timestamp', 'request timestamp is outside the accepted window');
  }
  return signedBy;
}

/**
 * Verifies one Feishu webhook request from its raw bytes and headers: signature (when an
 * Encrypt Key is set, or SHA-1 for legacy card callbacks), replay window, decryption,
 * shape (zod) and verification token — in that order. Pure: no I/O, no logging.
 *
 * `url_verification` needs no signature (Feishu excludes challenges from signing), but a
 * signature that is present must be valid, and the challenge's token must match.
 *
 * @example
 * const result = verifyDelivery(raw, c.req.raw.headers, { verificationToken, encryptKey,
 *   allowLegacyCard: false, maxSkewMs: 3_600_000, now: Date.now })
 * if ('status' in result) return c.json({ error: result.message }, result.status)
 */
export function verifyDelivery(raw: Uint8Array, headers: HeaderReader, opts: VerifyOptions): Delivery | Rejection {
  const signedBy = checkSignature(raw, headers, opts);
  if (typeof signedBy === 'object') return signedBy;

  if (raw.length === 0) return reject(400, 'empty_body', 'request body is empty');
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return reject(400, 'not_utf8', 'request body is not UTF-8');
  }
  let body = parseObject(text);
  if (!body) return reject(400, 'not_json', 'request body is not a JSON object');

  if ('encrypt' in body) {
    if (!opts.encryptKey) {
      return reject(400, 'encrypt_key_missing', 'encrypted body received but FEISHU_ENCRYPT_KEY is not set');
    }
    const envelope = EncryptedBody.safeParse(body);
    if (!envelope.success) return reject(400, 'bad_envelope', '"encrypt" must be a non-empty string');
    try {
      body = parseObject(decryptEnvelope(envelope.data.encrypt, opts.encryptKey));
    } catch (err) {
      if (err instanceof DecryptError) return reject(400, 'decrypt_failed', err.message);
      throw err;
    }
    if (!body) return reject(400, 'not_json', 'decrypted body is not a JSON object');
  }

  if (body.type === 'url_verification') {
    const challenge = UrlVerification.safeParse(body);
    if (!challenge.success) return reject(400, 'bad_challenge', 'malformed url_verification');
    if (!safeEqual(challenge.data.token, opts.verificationToken)) return reject(401, 'bad_token', 'verification token does not match');
    return { kind: 'challenge', challenge: challenge.data.challenge };
  }

  const looksLegacyCard = body.schema === undefined && 'action' in body && 'open_message_id' in body;
  if (looksLegacyCard && !opts.allowLegacyCard) {
    return reject(401, 'legacy_card_refused', 'legacy card callbacks are refused (accepted only on /webhook/card with FEISHU_LEGACY_CARD_CALLBACKS=true)');
  }
  if (looksLegacyCard) {
    // Its top-level token is the card-update token, so the SHA-1 signature is the only proof.
    if (signedBy !== 'verification-token-sha1') return reject(401, 'missing_signature', 'legacy card callbacks must carry a valid X-Lark-Signature');
    const callback = LegacyCardCallback.safeParse(body);
    if (!callback.success) return reject(400, 'bad_shape', 'malformed card callback');
    const eventId = `legacy-${createHash('sha256').update(raw).digest('hex').slice(0, 40)}`;
    return { kind: 'legacy-card', callback: callback.data, eventId };
  }

  if (opts.encryptKey && signedBy !== 'encrypt-key') {
    return reject(401, 'missing_signature', 'X-Lark-Signature is required when FEISHU_ENCRYPT_KEY is set');
  }

  if (body.schema === '2.0') {
    const envelope = V2Envelope.safeParse(body);
    if (!envelope.success) return reject(400, 'bad_shape', 'malformed schema 2.0 envelope');
    if (!safeEqual(envelope.data.header.token, opts.verificationToken)) return reject(401, 'bad_token', 'verification token does not match');
    return { kind: 'event', envelope: envelope.data };
  }

  if (body.type === 'event_callback') {
    const v1 = V1Envelope.safeParse(body);
    if (!v1.success) return reject(400, 'bad_shape', 'malformed event_callback');
    if (!safeEqual(v1.data.token, opts.verificationToken)) return reject(401, 'bad_token', 'verification token does not match');
    return { kind: 'legacy-event', eventType: v1.data.event.type };
  }

  return reject(400, 'unsupported', 'not a Feishu event, callback or url_verification');
}
