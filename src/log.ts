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
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: number): Logger {
  const options = { level, base: undefined, redact: { paths: REDACT, censor: '[redacted]' }, timestamp: pino.stdTimeFunctions.isoTime };
  // Commands whose stdout is their answer (e.g. `remind --once`) log to stderr (fd 2).
  return destination === undefined ? pino(options) : pino(options, pino.destination(destination));
}

/** Level → console method, so platforms that sort logs by console method (Workers) see errors as errors. */
const CONSOLE_BY_LEVEL = {
  fatal: (line: string) => console.error(line),
  error: (line: string) => console.error(line),
  warn: (line: string) => console.warn(line),
  info: (line: string) => console.log(line),
  debug: (line: string) => console.log(line),
  trace: (line: string) => console.log(line),
};

/**
 * The same JSON lines, redaction included, written with `console.*` instead of stdout: for
 * runtimes without a process stdout (Cloudflare Workers). On Node pino writes each line to
 * the given destination; bundlers that pick pino's browser build (wrangler does) get the
 * `browser.write` functions, which receive the redacted log object.
 *
 * @example
 * const log = createConsoleLogger('info')
 * log.warn({ err: errorSummary(err) }, 'redis connection error')
 */
export function createConsoleLogger(level = 'info'): Logger {
  const toLine = (o: object) => JSON.stringify(o);
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      browser: {
        asObject: true,
        write: {
          fatal: (o) => CONSOLE_BY_LEVEL.fatal(toLine(o)),
          error: (o) => CONSOLE_BY_LEVEL.error(toLine(o)),
          warn: (o) => CONSOLE_BY_LEVEL.warn(toLine(o)),
          info: (o) => CONSOLE_BY_LEVEL.info(toLine(o)),
          debug: (o) => CONSOLE_BY_LEVEL.debug(toLine(o)),
          trace: (o) => CONSOLE_BY_LEVEL.trace(toLine(o)),
        },
      },
    },
    {
      write(line: string) {
        const text = line.trimEnd();
        const lvl = /"level":(\d+)/.exec(text)?.[1];
        const n = lvl ? Number(lvl) : 30;
        if (n >= 50) CONSOLE_BY_LEVEL.error(text);
        else if (n >= 40) CONSOLE_BY_LEVEL.warn(text);
        else CONSOLE_BY_LEVEL.info(text);
      },
    },
  );
}

/** A logger that writes nothing (tests, benchmarks). */
export const silentLogger: Logger = pino({ level: 'silent' });

/**
 * What of an error goes into a log line: its name, its Feishu code when it has one, and
 * its message unless the caller says the message may quote HR data. Never the stack or
 * cause, which may quote request bodies.
 *
 * @example
 * log.warn({ err: errorSummary(err) }, 'redis connection error')
 * log.error({ err: errorSummary(err, { message: false }) }, 'intent handler failed')
 */
export function errorSummary(err: unknown, opts: { message?: boolean } = {}): { name: string; code?: number; message?: string } {
  const e = err !== null && typeof err === 'object' ? (err as { name?: unknown; code?: unknown; message?: unknown }) : undefined;
  const name = typeof e?.name === 'string' ? e.name : typeof err;
  const code = typeof e?.code === 'number' ? e.code : undefined;
  const summary: { name: string; code?: number; message?: string } = code === undefined ? { name } : { name, code };
  if (opts.message !== false) summary.message = (typeof e?.message === 'string' ? e.message : String(err)).slice(0, 500);
  return summary;
}
