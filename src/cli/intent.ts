/**
 * `cli intent --now YYYY-MM-DD [--tz Asia/Shanghai]`: routes stdin, one message
 * per line, and writes one `{"intent":…,"slots":{…}}` line per message, the
 * format ../shared/tools/intent-score.mjs reads.
 */
import { createInterface } from 'node:readline';
import { noonIn } from '../bot/router/calendar.js';
import { routeIntent } from '../bot/router/router.js';

/** Parsed `intent` arguments, or the complaint to print. */
export function parseIntentArgs(args: readonly string[]): { now: Date; timeZone: string } | { error: string } {
  let date: string | undefined;
  let timeZone = 'Asia/Shanghai';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = args[i + 1];
    if ((arg === '--now' || arg === '--tz') && value === undefined) return { error: `${arg} needs a value` };
    if (arg === '--now') date = value;
    else if (arg === '--tz') timeZone = value ?? timeZone;
    else return { error: `unknown option ${arg}` };
    i++;
  }
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
 * Runs the subcommand; resolves with the exit code.
 *
 * @example await runIntent(['--now', '2025-03-15']) // reads stdin until it closes
 */
export async function runIntent(args: readonly string[]): Promise<number> {
  const parsed = parseIntentArgs(args);
  if ('error' in parsed) {
    process.stderr.write(`intent: ${parsed.error}\nusage: cli intent --now YYYY-MM-DD [--tz Area/City]\n`);
    return 2;
  }
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
