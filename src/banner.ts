import { WEBHOOK_PATHS } from './cli/webhook-check.js';
import type { Config } from './config.js';
import { nextReminderRun } from './reminders/period.js';

/**
 * What an operator needs right after start: the URLs to paste into the Feishu console,
 * the mode, Encrypt Key on or off, the store, the role and the reminder schedule. Never a
 * secret: no app secret, verification token, Encrypt Key or Redis password.
 */
export interface StartupFacts {
  role: Config['role'];
  mode: Config['feishu']['eventMode'];
  /** `on` when FEISHU_ENCRYPT_KEY is set (bodies may be encrypted, every request signed). */
  encryption: 'on' | 'off';
  /** `memory`, or the Redis URL with its password (and user) hidden. */
  store: string;
  /** Where this process answers, e.g. `http://localhost:3000`. */
  localUrl: string;
  /** The two webhook URLs under `localUrl`; absent where no webhook is served. */
  webhooks?: { event: string; card: string };
  reminders: { enabled: boolean; runsHere: boolean; cron: string; timeZone: string; nextRun?: string };
}

/**
 * A Redis URL fit for logs: scheme, host, port and database; user and password replaced by `***`.
 *
 * @example
 * redactedRedisUrl('redis://:s3cret@redis:6379/0') // 'redis://***@redis:6379/0'
 */
export function redactedRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    const auth = u.username || u.password ? '***@' : '';
    return `${u.protocol}//${auth}${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'redis (unparsable URL hidden)';
  }
}

/**
 * The facts for a process bound to `address` (`host` as bound, `0.0.0.0`/`::` meaning every
 * interface, shown as `localhost`).
 */
export function startupFacts(config: Config, address: { host: string; port: number }, now: Date = new Date()): StartupFacts {
  const wildcard = address.host === '0.0.0.0' || address.host === '::' || address.host === '';
  const host = wildcard ? 'localhost' : address.host.includes(':') ? `[${address.host}]` : address.host;
  const localUrl = `http://${host}:${address.port}`;
  const servesWebhooks = config.role !== 'worker' && config.feishu.eventMode === 'webhook';
  const runsHere = config.role !== 'web';
  const { cron, enabled } = config.reminders;
  return {
    role: config.role,
    mode: config.feishu.eventMode,
    encryption: config.feishu.encryptKey ? 'on' : 'off',
    store: config.redisUrl ? redactedRedisUrl(config.redisUrl) : 'memory',
    localUrl,
    ...(servesWebhooks ? { webhooks: { event: `${localUrl}${WEBHOOK_PATHS[0]}`, card: `${localUrl}${WEBHOOK_PATHS[1]}` } } : {}),
    reminders: {
      enabled,
      runsHere,
      cron,
      timeZone: config.timeZone,
      ...(enabled ? { nextRun: nextReminderRun(cron, config.timeZone, now).toISOString() } : {}),
    },
  };
}

/** A UTC instant as the reminder time zone's wall clock, e.g. `2027-01-01 10:00`. */
function wallClock(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** The human-readable block printed on a terminal. */
export function renderBanner(f: StartupFacts): string {
  const rows: Array<[string, string]> = [];
  if (f.role === 'worker') {
    rows.push(['mode', 'worker: runs queued work and schedules; serves only /healthz, /readyz, /metrics']);
  } else if (f.webhooks) {
    rows.push(['mode', 'webhook (Feishu posts events and card clicks to this server)']);
    rows.push(['event URL', f.webhooks.event]);
    rows.push(['card callback URL', f.webhooks.card]);
    rows.push(['', 'paste your public HTTPS base URL + /webhook/event (events) and + /webhook/card (callbacks);']);
    rows.push(['', '`npm run cli -- doctor --url <public base URL>` checks both']);
  } else {
    rows.push(['mode', 'long connection (websocket): no public URL needed;']);
    rows.push(['', 'choose "long connection" (长连接) for events and for callbacks in the console']);
  }
  rows.push(['Encrypt Key', f.encryption === 'on' ? 'on (every webhook request must be signed)' : 'off']);
  rows.push(['store', f.store === 'memory' ? 'memory (one instance; not crash-safe)' : f.store]);
  const r = f.reminders;
  const reminders = !r.enabled
    ? 'off (REMINDER_ENABLED=false; `remind --once` still works)'
    : `on, "${r.cron}" ${r.timeZone}, next ${wallClock(r.nextRun!, r.timeZone)}${r.runsHere ? '' : ' (run by the worker processes)'}`;
  rows.push(['reminders', reminders]);
  rows.push(['health', `${f.localUrl}/healthz  ${f.localUrl}/readyz  ${f.localUrl}/metrics`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `  ${k ? `${k}:`.padEnd(width + 1) : ' '.repeat(width + 1)}  ${v}`);
  return `HR bot started (BOT_ROLE=${f.role})\n${lines.join('\n')}\n`;
}
