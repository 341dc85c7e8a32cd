import { createOwnerDelivery } from '../bot/delivery.js';
import { feishuClientFor } from '../feishu/client.js';
import { createI18n } from '../i18n.js';
import { createLogger, errorSummary } from '../log.js';
import { createMetrics } from '../metrics.js';
import type { PassSummary } from '../reminders/pass.js';
import { passIdOfLock } from '../reminders/lease.js';
import { createMemoryReminderRunner } from '../reminders/runner.js';
import { storeKeys } from '../store/keys.js';
import { createStore } from '../store/index.js';
import { defineCommand, loadCommandConfig, UsageError } from './command.js';

/** Exit codes: 0 every due reminder sent or deliberately skipped; 1 some failed; 3 a pass already runs. */
export const REMIND_EXIT = { ok: 0, failed: 1, config: 2, busy: 3 } as const;

/**
 * The one summary line: counts, skips with their reasons, failures, and how the duration
 * compares with the floor Feishu's published limits allow.
 *
 * @example
 * summaryLine(s) // 'remind: pass pass-… period 20261201T0200Z employees=300 due=250 sent=250 skipped=50 (…) failed=0 duration=15.2s floor=15.0s ratio=1.01'
 */
export function summaryLine(s: PassSummary): string {
  const skipped = s.skipped.optedOut + s.skipped.zeroBalance + s.skipped.alreadyReminded;
  const ratio = s.floorMs > 0 ? (s.durationMs / s.floorMs).toFixed(2) : '-';
  const codes = Object.entries(s.failures).map(([code, n]) => `${code}×${n}`).join(',');
  return [
    `remind: pass ${s.passId} period ${s.period} pages=${s.pages} employees=${s.employees}`,
    `due=${s.due} sent=${s.sent}`,
    `skipped=${skipped} (opted_out=${s.skipped.optedOut} zero_balance=${s.skipped.zeroBalance} already_reminded=${s.skipped.alreadyReminded})`,
    `failed=${s.failed}${codes ? ` (${codes})` : ''}`,
    `duration=${(s.durationMs / 1000).toFixed(1)}s floor=${(s.floorMs / 1000).toFixed(1)}s ratio=${ratio}`,
  ].join(' ');
}

/** Progress on stderr: a bar redrawn in place on a terminal, plain lines otherwise. */
function progressWriter(): (s: PassSummary) => void {
  const tty = process.stderr.isTTY === true;
  return (s) => {
    const line = `pages ${s.pages} · employees ${s.employees} · sent ${s.sent}/${s.due} · failed ${s.failed}`;
    if (tty) process.stderr.write(`\r[${'#'.repeat(Math.min(30, s.pages))}${' '.repeat(Math.max(0, 30 - s.pages))}] ${line}`);
    else process.stderr.write(`remind: ${line}\n`);
  };
}

async function runRemind(): Promise<number> {
  const config = loadCommandConfig(process.stderr);
  if (!config) return REMIND_EXIT.config;
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 2);
  const store = createStore(config.redisUrl, { onError: (err) => logger.warn({ err: errorSummary(err) }, 'redis connection error') });
  try {
    const keys = storeKeys(config.feishu.appId);
    const metrics = createMetrics();
    const feishu = feishuClientFor(config, { store, logger, metrics });
    const delivery = createOwnerDelivery({ store, keys, messenger: feishu.messenger });
    const runner = createMemoryReminderRunner({ config, store, keys, api: feishu.api, delivery, i18n: createI18n(), logger, metrics });
    const progress = progressWriter();
    const summary = await runner.runOnce(progress);
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (!summary) {
      process.stdout.write(`remind: another pass is running (${passIdOfLock(await store.get(keys.reminderPassLock())) ?? 'unknown'}); nothing done\n`);
      return REMIND_EXIT.busy;
    }
    process.stdout.write(`${summaryLine(summary)}\n`);
    return summary.failed === 0 ? REMIND_EXIT.ok : REMIND_EXIT.failed;
  } finally {
    await store.close();
  }
}

/** `npm run cli -- remind --once`: one reminder pass now, one summary line. */
export const remindCommand = defineCommand({
  name: 'remind',
  synopsis: 'remind --once',
  summary: 'run one balance-reminder pass now; exit 0 when every due reminder was sent or deliberately skipped',
  options: { once: { type: 'boolean', help: 'run one pass now (the schedule itself runs in the server)' } },
  async run(values) {
    if (!values.once) throw new UsageError('--once is required: the schedule runs in the server (REMINDER_CRON)');
    return runRemind();
  },
});
