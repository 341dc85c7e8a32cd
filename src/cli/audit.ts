/**
 * `cli audit [--since YYYY-MM-DD] [--json]`: the accrual-edit audit log (proposals,
 * decisions, writes and failures), oldest first, as a table or as JSON lines.
 */
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '../config.js';
import { isRealDate } from '../domain/calendar.js';
import { createAuditLog, type AuditEntry } from '../services/accrual/audit.js';
import { createStore } from '../store/index.js';
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { defineCommand, UsageError } from './command.js';

/** `--since` as the first millisecond of that UTC day; absent = everything kept. */
export function sinceMs(since: string | undefined): number {
  if (since === undefined) return 0;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(since) || !isRealDate(since)) throw new UsageError(`--since: expected a date like 2026-01-31, got ${since}`);
  return Date.parse(`${since}T00:00:00Z`);
}

function values(v: AuditEntry['after'] | null): string {
  if (v === null) return 'unknown';
  return `${v.quantity ?? '-'} / ${v.expirationDate ?? '-'}`;
}

/** One line per entry: when, what, who, which record, before → after, outcome. */
export function auditLine(e: AuditEntry): string {
  const parts = [
    new Date(e.at).toISOString(),
    e.event.padEnd(9),
    `by ${e.actor}`,
    `request ${e.requestId}`,
    `employee ${e.employee}`,
    `leave type ${e.leaveTypeId}`,
    `record ${e.recordId}`,
    `${values(e.before)} -> ${values(e.after)}`,
  ];
  if (e.errorCode !== undefined) parts.push(`error ${e.errorCode}`);
  if (e.rejectReason) parts.push(`reject reason: ${e.rejectReason}`);
  return parts.join('  ');
}

/** Prints the log from `store`; resolves with the exit code. */
export async function printAudit(store: Store, appId: string, opts: { since?: string | undefined; json?: boolean | undefined }, out: (line: string) => void): Promise<number> {
  const entries = await createAuditLog(store, storeKeys(appId)).read(sinceMs(opts.since));
  for (const e of entries) out(opts.json ? JSON.stringify(e) : auditLine(e));
  if (!opts.json && entries.length === 0) out('no audit entries');
  return 0;
}

export const auditCommand = defineCommand({
  name: 'audit',
  synopsis: 'audit [--since YYYY-MM-DD] [--json]',
  summary: 'print the audit log of accrual-edit proposals, decisions and writes (kept 400 days)',
  options: {
    since: { type: 'string', valueName: 'YYYY-MM-DD', help: 'only entries from this day (UTC) on' },
    json: { type: 'boolean', help: 'one JSON object per line instead of a table' },
  },
  async run({ since, json }) {
    sinceMs(since);
    if (existsSync('.env')) process.loadEnvFile('.env');
    let config;
    try {
      config = loadConfig(process.env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const problem of err.problems) process.stderr.write(`config: ${problem}\n`);
      return 2;
    }
    if (!config.redisUrl) {
      process.stderr.write('audit: REDIS_URL is not set; without Redis the audit log lives only in the running bot\'s memory\n');
      return 1;
    }
    const store = createStore(config.redisUrl);
    try {
      return await printAudit(store, config.feishu.appId, { since, json }, (line) => process.stdout.write(`${line}\n`));
    } finally {
      await store.close();
    }
  },
});
