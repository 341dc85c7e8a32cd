import { createCipheriv, createDecipheriv, createHash, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Feishu's request cryptography, written against the platform docs (feishu-platform.md §1, §3)
 * rather than the SDK, because the SDK hashes a re-serialised body and compares with `===`.
 */

/** The bytes Feishu signs: `timestamp + nonce + secret + rawBody`, hashed without re-serialising. */
function digestHex(algorithm: 'sha256' | 'sha1', timestamp: string, nonce: string, secret: string, raw: Uint8Array): string {
  // One-shot `hash` is markedly cheaper than createHash() on the per-request path.
  return hash(algorithm, Buffer.concat([Buffer.from(timestamp + nonce + secret, 'utf8'), raw]), 'hex');
}

/**
 * `X-Lark-Signature` of an event or a v2 card callback (Encrypt Key set).
 *
 * @example
 * eventSignature('1700000000', 'n0nce', encryptKey, rawBody) // → 64 hex chars
 */
export function eventSignature(timestamp: string, nonce: string, encryptKey: string, raw: Uint8Array): string {
  return digestHex('sha256', timestamp, nonce, encryptKey, raw);
}

/**
 * `X-Lark-Signature` of a legacy message-card callback: SHA-1 with the Verification Token,
 * because those callbacks carry the card-update token, not the verification token.
 *
 * @example
 * legacyCardSignature('1700000000', 'n0nce', verificationToken, rawBody) // → 40 hex chars
 */
export function legacyCardSignature(timestamp: string, nonce: string, verificationToken: string, raw: Uint8Array): string {
  return digestHex('sha1', timestamp, nonce, verificationToken, raw);
}

const digests = new Map<string, Buffer>();

function sha256(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}

/**
 * Constant-time comparison of a presented value with a secret. Both are hashed first so that
 * neither the content nor the length of the secret leaks through timing; the secret's digest
 * is computed once, since the same few secrets are compared on every request.
 *
 * @example
 * safeEqual(header.token, config.feishu.verificationToken)
 */
export function safeEqual(presented: string, secret: string): boolean {
  let expected = digests.get(secret);
  if (!expected) {
    if (digests.size > 16) digests.clear();
    digests.set(secret, (expected = sha256(secret)));
  }
  return timingSafeEqual(sha256(presented), expected);
}

/**
 * Constant-time comparison of two lowercase hex digests (signatures). Their length is public
 * (it is the hash's), so unequal lengths may return early.
 */
export function hexDigestEqual(presented: string, computed: string): boolean {
  if (presented.length !== computed.length) return false;
  return timingSafeEqual(Buffer.from(presented.toLowerCase(), 'latin1'), Buffer.from(computed, 'latin1'));
}

let cachedKey: { source: string; key: Buffer } | undefined;

/** AES key = SHA-256 digest of the Encrypt Key string; cached because it never changes. */
function aesKey(encryptKey: string): Buffer {
  if (cachedKey?.source !== encryptKey) {
    cachedKey = { source: encryptKey, key: createHash('sha256').update(encryptKey, 'utf8').digest() };
  }
  return cachedKey.key;
}

export class DecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptError';
  }
}

/**
 * Opens Feishu's `{"encrypt": "<base64>"}` envelope: AES-256-CBC, IV = first 16 bytes, PKCS#7.
 * Throws `DecryptError` for anything that is not a well-formed ciphertext under this key.
 *
 * @example
 * const json = decryptEnvelope(body.encrypt, config.feishu.encryptKey)
 */
export function decryptEnvelope(encrypt: string, encryptKey: string): string {
  const bytes = Buffer.from(encrypt, 'base64');
  // A valid envelope is the IV plus at least one whole AES block.
  if (bytes.length < 32 || bytes.length % 16 !== 0) throw new DecryptError('encrypted body has an invalid length');
  try {
    const decipher = createDecipheriv('aes-256-cbc', aesKey(encryptKey), bytes.subarray(0, 16));
    return Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptError('encrypted body does not decrypt with FEISHU_ENCRYPT_KEY');
  }
}

/**
 * The inverse of `decryptEnvelope`, as Feishu does it (tests, benchmarks, local tools).
 *
 * @example
 * const body = JSON.stringify({ encrypt: encryptEnvelope(JSON.stringify(event), key) })
 */
export function encryptEnvelope(plaintext: string, encryptKey: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', aesKey(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/**
 * The headers Feishu signs a push with (a fresh nonce; the timestamp in seconds), for the
 * bot's own tools that play Feishu: `doctor --url` and the benchmarks.
 *
 * @example
 * fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...signedHeaders(body, key) } })
 */
export function signedHeaders(body: Uint8Array, encryptKey: string, timestamp = String(Math.floor(Date.now() / 1000))): Record<string, string> {
  const nonce = randomBytes(8).toString('hex');
  return {
    'x-lark-request-timestamp': timestamp,
    'x-lark-request-nonce': nonce,
    'x-lark-signature': eventSignature(timestamp, nonce, encryptKey, body),
  };
}
