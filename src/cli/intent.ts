/**
 * `cli intent [--now YYYY-MM-DD] [--tz Asia/Shanghai]`: routes stdin, one message
 * per line, and writes one `{"intent":…,"slots":{…}}` line per message, the
 * format ../shared/tools/intent-score.mjs reads.
 */
import { createInterface } from 'node:readline';
import { noonIn } from '../bot/router/calendar.js';
import { routeIntent } from '../bot/router/router.js';
import { defineCommand, UsageError } from './command.js';

/** Resolves `--now` and `--tz`, or says what is wrong with them. */
export function resolveIntentClock(date: string | undefined, timeZone: string): { now: Date; timeZone: string } | { error: string } {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    return { error: `unknown time zone ${timeZone}` };
  }
  if (date === undefined) return { now: new Date(), timeZone };
  try {
    return { now: noonIn(date, timeZone), timeZone };
  } catch (err) {
    return { error: `--now: ${(err as Error).message}` };
  }
}

/**
 * Routes stdin lines; resolves with the exit code.
 *
 * @example printf 'payslip Jan\n' | npm run cli -- intent --now 2025-03-15
 */
export const intentCommand = defineCommand({
  name: 'intent',
  synopsis: 'intent --now YYYY-MM-DD [--tz Area/City]',
  summary: 'route stdin, one message per line, and print one {"intent","slots"} JSON line each',
  options: {
    now: { type: 'string', valueName: 'YYYY-MM-DD', help: 'the day relative dates are read against (default: today)' },
    tz: { type: 'string', valueName: 'Area/City', help: 'time zone of that day (default: Asia/Shanghai)' },
  },
  run: ({ now, tz }) => runIntent(now, tz ?? 'Asia/Shanghai'),
});

async function runIntent(date: string | undefined, timeZone: string): Promise<number> {
  const parsed = resolveIntentClock(date, timeZone);
  if ('error' in parsed) throw new UsageError(parsed.error);
  const opts = { now: parsed.now, timeZone: parsed.timeZone };
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  // Batch writes: one syscall per message is what makes a pipe slow, not the router.
  let pending: string[] = [];
  const flush = (): void => {
    if (pending.length) process.stdout.write(pending.join(''));
    pending = [];
  };
  for await (const line of lines) {
    const { intent, slots } = routeIntent(line, opts);
    pending.push(`${JSON.stringify({ intent, slots })}\n`);
    if (pending.length >= 256) flush();
  }
  flush();
  return 0;
}
