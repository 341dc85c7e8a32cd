import { z } from 'zod';
import { LOCALES, type Locale } from './domain/locales.js';

/** `https://x.example//` → `https://x.example` (a loop, so no regex can backtrack on it). */
export function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}

/**
 * What one process does: `all` (intake and jobs), `web` (intake and ops endpoints; queues
 * work) or `worker` (runs queued work; serves only /healthz, /readyz, /metrics).
 */
export const BOT_ROLES = ['all', 'web', 'worker'] as const;
export type BotRole = (typeof BOT_ROLES)[number];

const csv = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const bool = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const s = v.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(s)) return true;
      if (['false', '0', 'no', 'off'].includes(s)) return false;
      ctx.addIssue({ code: 'custom', message: `expected true or false, got "${v}"` });
      return z.NEVER;
    });

const optionalUrl = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? withoutTrailingSlashes(v.trim()) : undefined))
  .pipe(z.url({ message: 'must be an http(s) URL' }).optional());

const nonEmpty = (what: string) =>
  z.string({ message: `is required (${what})` }).trim().min(1, { message: `is required (${what})` });

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Five-field cron: minute hour day-of-month month day-of-week. */
const CRON_FIELD = /^(?:\*|\d+(?:-\d+)?)(?:\/\d+)?(?:,(?:\*|\d+(?:-\d+)?)(?:\/\d+)?)*$|^[a-z]{3}(?:-[a-z]{3})?$/i;

/** A bearer token shorter than this can be guessed; 32 hex characters carry 128 bits. */
export const MIN_ADMIN_TOKEN_LENGTH = 32;

export const EnvSchema = z
  .object({
    FEISHU_APP_ID: nonEmpty('the app id, cli_…'),
    FEISHU_APP_SECRET: nonEmpty('the app secret'),
    FEISHU_VERIFICATION_TOKEN: nonEmpty('the event verification token'),
    FEISHU_ENCRYPT_KEY: z
      .string()
      .optional()
      .transform((v) => (v && v.length > 0 ? v : undefined)),
    FEISHU_BASE_URL: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() ? withoutTrailingSlashes(v.trim()) : 'https://open.feishu.cn'))
      .pipe(z.url({ message: 'must be an http(s) URL' })),
    FEISHU_EVENT_MODE: z.enum(['webhook', 'websocket'], { message: 'must be "webhook" or "websocket"' }).default('webhook'),
    FEISHU_LEGACY_CARD_CALLBACKS: bool(false),
    BOT_ROLE: z.enum(BOT_ROLES, { message: 'must be "all", "web" or "worker"' }).default('all'),
    PORT: z.coerce
      .number({ message: 'must be a port number' })
      .int({ message: 'must be a whole number' })
      .min(0, { message: 'must be between 0 and 65535' })
      .max(65535, { message: 'must be between 0 and 65535' })
      .default(3000),
    HOST: z.string().trim().min(1).default('0.0.0.0'),
    REDIS_URL: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() ? v.trim() : undefined))
      .refine((v) => v === undefined || /^rediss?:\/\//.test(v), { message: 'must start with redis:// or rediss://' }),
    HR_REQUESTERS: csv,
    HR_APPROVERS: csv,
    REMINDER_CRON: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() ? v.trim() : '0 10 1 * *'))
      .refine((v) => {
        const f = v.split(/\s+/);
        return f.length === 5 && f.every((x) => CRON_FIELD.test(x));
      }, { message: 'must be a five-field cron expression such as "0 10 1 * *"' }),
    REMINDER_TIMEZONE: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() ? v.trim() : 'Asia/Shanghai'))
      .refine(isValidTimeZone, { message: 'must be an IANA time zone such as Asia/Shanghai' }),
    REMINDER_ENABLED: bool(true),
    REMINDER_EXPIRY_LEAVE_TYPES: z
      .string()
      .optional()
      .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean))
      .transform((list) => (list.length ? list : ['annual', 'compensatory']))
      .refine((list) => list.every((x) => /^[\w-]{1,64}$/.test(x)), {
        message: 'must be comma-separated leave-type ids or codes such as "annual,compensatory"',
      }),
    DEFAULT_LOCALE: z.enum(LOCALES, { message: 'must be zh-CN or en-US' }).default('zh-CN'),
    LEAVE_PROVIDER: z.enum(['feishu', 'companyflow'], { message: 'must be "feishu" or "companyflow"' }).default('feishu'),
    COMPANYFLOW_BASE_URL: optionalUrl,
    COMPANYFLOW_TOKEN_URL: optionalUrl,
    COMPANYFLOW_CLIENT_ID: z.string().optional().transform((v) => (v && v.trim() ? v.trim() : undefined)),
    COMPANYFLOW_CLIENT_SECRET: z.string().optional().transform((v) => (v && v.length ? v : undefined)),
    COMPANYFLOW_LEAVE_TYPE_IDS: csv,
    ADMIN_TOKEN: z
      .string()
      .optional()
      .transform((v) => (v && v.length ? v : undefined))
      .refine((v) => v === undefined || v.length >= MIN_ADMIN_TOKEN_LENGTH, {
        message: `must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (generate one with: openssl rand -hex 32)`,
      }),
    HR_CONTACT: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() ? v.trim() : undefined))
      .refine((v) => v === undefined || parseHrContact(v) !== undefined, {
        message: 'must be an open_id (ou_…) or an https:// URL',
      }),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
  });

const COMPANYFLOW_REQUIRED = [
  'COMPANYFLOW_BASE_URL',
  'COMPANYFLOW_TOKEN_URL',
  'COMPANYFLOW_CLIENT_ID',
  'COMPANYFLOW_CLIENT_SECRET',
  'COMPANYFLOW_LEAVE_TYPE_IDS',
] as const;

/**
 * Cross-field rules, checked on the raw environment so that they are reported
 * together with every other problem, not only once the rest is valid.
 */
function crossFieldProblems(source: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const role = (source.BOT_ROLE ?? '').trim();
  // Separate web and worker processes meet only through the queue in Redis.
  if ((role === 'web' || role === 'worker') && !(source.REDIS_URL ?? '').trim()) {
    problems.push(`REDIS_URL is required when BOT_ROLE=${role} (web and worker processes share work through Redis)`);
  }
  if ((source.LEAVE_PROVIDER ?? '').trim() !== 'companyflow') return problems;
  return problems.concat(
    COMPANYFLOW_REQUIRED.filter((name) => !(source[name] ?? '').trim()).map((name) => `${name} is required when LEAVE_PROVIDER=companyflow`),
  );
}

type Env = z.output<typeof EnvSchema>;

/** Typed configuration of one bot process. */
export interface Config {
  feishu: {
    appId: string;
    appSecret: string;
    verificationToken: string;
    encryptKey: string | undefined;
    baseUrl: string;
    eventMode: 'webhook' | 'websocket';
    /** Accept legacy message-card callbacks (SHA-1, verification token) on `/webhook/card`. */
    legacyCardCallbacks: boolean;
  };
  http: { port: number; host: string };
  role: BotRole;
  redisUrl: string | undefined;
  hr: { requesters: string[]; approvers: string[] };
  /** The app's time zone (REMINDER_TIMEZONE): "today" for people's questions, dates on cards, the reminder cron. */
  timeZone: string;
  /**
   * The reminder schedule; `expiryLeaveTypes` are leave-type ids or codes (`annual`, …)
   * whose grants expiring within 60 days the reminder names.
   */
  reminders: { cron: string; enabled: boolean; expiryLeaveTypes: string[] };
  defaultLocale: Locale;
  leaveProvider: 'feishu' | 'companyflow';
  companyflow:
    | {
        baseUrl: string;
        tokenUrl: string;
        clientId: string;
        clientSecret: string;
        leaveTypeIds: string[];
      }
    | undefined;
  adminToken: string | undefined;
  /** Who "contact HR" on error cards reaches (a button), when configured. */
  hrContact: HrContact | undefined;
  logLevel: Env['LOG_LEVEL'];
}

/**
 * HR_CONTACT: a person to chat with (open_id) or a page (https URL). `url` is what the
 * button opens: the page, or Feishu's applink that opens a chat with that person.
 */
export type HrContact = { kind: 'openId'; openId: string; url: string } | { kind: 'url'; url: string };

/**
 * Reads HR_CONTACT: `ou_…` is an open_id, `https://…` a URL; anything else is refused.
 *
 * @example
 * parseHrContact('ou_7d8a6e6df7621556ce0d21922b676706') // { kind: 'openId', openId: 'ou_7d8a…', url: 'https://applink.feishu.cn/client/chat/open?openId=ou_7d8a…' }
 * parseHrContact('https://hr.example.com/help')        // { kind: 'url', url: 'https://hr.example.com/help' }
 */
export function parseHrContact(raw: string, baseUrl = 'https://open.feishu.cn'): HrContact | undefined {
  if (/^ou_[\w-]{1,128}$/.test(raw)) {
    // Lark tenants open applinks on larksuite.com, Feishu tenants on feishu.cn.
    const host = new URL(baseUrl).hostname.endsWith('larksuite.com') ? 'applink.larksuite.com' : 'applink.feishu.cn';
    return { kind: 'openId', openId: raw, url: `https://${host}/client/chat/open?openId=${encodeURIComponent(raw)}` };
  }
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && url.hostname ? { kind: 'url', url: url.toString() } : undefined;
  } catch {
    return undefined;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * Environment → typed config. Throws `ConfigError` with one plain line per problem.
 *
 * @example
 * const config = loadConfig(process.env)
 */
export function loadConfig(source: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(source);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = issue.path.length ? String(issue.path[0]) : 'configuration';
        return `${name} ${issue.message}`;
      });
  problems.push(...crossFieldProblems(source));
  if (!parsed.success || problems.length) throw new ConfigError([...new Set(problems)]);
  const env = parsed.data;
  return {
    feishu: {
      appId: env.FEISHU_APP_ID,
      appSecret: env.FEISHU_APP_SECRET,
      verificationToken: env.FEISHU_VERIFICATION_TOKEN,
      encryptKey: env.FEISHU_ENCRYPT_KEY,
      baseUrl: env.FEISHU_BASE_URL,
      eventMode: env.FEISHU_EVENT_MODE,
      legacyCardCallbacks: env.FEISHU_LEGACY_CARD_CALLBACKS,
    },
    http: { port: env.PORT, host: env.HOST },
    role: env.BOT_ROLE,
    redisUrl: env.REDIS_URL,
    hr: { requesters: env.HR_REQUESTERS, approvers: env.HR_APPROVERS },
    timeZone: env.REMINDER_TIMEZONE,
    reminders: { cron: env.REMINDER_CRON, enabled: env.REMINDER_ENABLED, expiryLeaveTypes: env.REMINDER_EXPIRY_LEAVE_TYPES },
    defaultLocale: env.DEFAULT_LOCALE,
    leaveProvider: env.LEAVE_PROVIDER,
    companyflow:
      env.LEAVE_PROVIDER === 'companyflow'
        ? {
            baseUrl: env.COMPANYFLOW_BASE_URL!,
            tokenUrl: env.COMPANYFLOW_TOKEN_URL!,
            clientId: env.COMPANYFLOW_CLIENT_ID!,
            clientSecret: env.COMPANYFLOW_CLIENT_SECRET!,
            leaveTypeIds: env.COMPANYFLOW_LEAVE_TYPE_IDS,
          }
        : undefined,
    adminToken: env.ADMIN_TOKEN,
    hrContact: env.HR_CONTACT === undefined ? undefined : parseHrContact(env.HR_CONTACT, env.FEISHU_BASE_URL),
    logLevel: env.LOG_LEVEL,
  };
}
