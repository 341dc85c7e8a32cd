import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear. Logs carry ids and outcomes only:
 * never secrets, tokens, message text or HR figures. The redaction is the safety
 * net; call sites must not pass such values in the first place.
 */
const REDACT = [
  'appSecret',
  'app_secret',
  'token',
  'tenant_access_token',
  'access_token',
  'authorization',
  'Authorization',
  'headers.authorization',
  'encryptKey',
  'content',
  'text',
  'body',
  'clientSecret',
  'client_secret',
  '*.appSecret',
  '*.token',
  '*.access_token',
  '*.tenant_access_token',
  '*.authorization',
  '*.content',
  '*.text',
  '*.body',
];

/**
 * The process logger (JSON lines on stdout).
 *
 * @example
 * const log = createLogger('info')
 * log.info({ eventId, outcome: 'handled' }, 'event')
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: undefined,
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** A logger that writes nothing (tests, benchmarks). */
export const silentLogger: Logger = pino({ level: 'silent' });
