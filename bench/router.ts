/**
 * Router throughput: routes the labelled dev messages in a loop on one core.
 * The router runs on every incoming message, so it must stay far below the
 * cost of the Feishu round trip that follows it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { routeIntent } from '../src/bot/router/router.js';

function devMessages(): string[] {
  const file = path.resolve(process.cwd(), '../shared/intents/dev.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => (JSON.parse(line) as { text: string }).text);
}

/**
 * Routes the dev messages for about `durationMs` after a short warm-up.
 *
 * @example benchRouter({ durationMs: 1000 }) // → { messagesPerSecond: 85000 }
 */
export function benchRouter(opts: { durationMs: number }): { messagesPerSecond: number } {
  const messages = devMessages();
  const route = { now: new Date('2025-03-15T04:00:00Z'), timeZone: 'Asia/Shanghai' };
  for (let i = 0; i < 3; i++) for (const m of messages) routeIntent(m, route);
  let routed = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < opts.durationMs) {
    for (const m of messages) routeIntent(m, route);
    routed += messages.length;
    elapsed = performance.now() - start;
  }
  return { messagesPerSecond: Math.round(routed / (elapsed / 1000)) };
}
