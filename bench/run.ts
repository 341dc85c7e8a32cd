/**
 * `npm run bench`: webhook intake (bot vs bare node:http), the reply burst (3 000 events
 * each answered through a fake Feishu; about four minutes), a reminder pass over 2 000
 * synthetic employees at the published limits (about two minutes) and, when present, the
 * intent router; prints a table and writes `bench/results.json`, where the sections of a
 * skipped part keep their previous figures and the date they were measured.
 * BENCH_SKIP_INTAKE / BENCH_SKIP_BURST / BENCH_SKIP_REMINDERS / BENCH_SKIP_ROUTER skip a part;
 * BENCH_BURST_EVENTS and BENCH_BURST_ROLE (`all`, `split`, `web`) shape the burst. Each part
 * runs in a fresh process of its own.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchIntake, type IntakeResult } from './intake.js';
import { benchReminderPass, type ReminderPassResult } from './reminder-pass.js';
import { BURST_TARGET_RATIO, benchReplyBurst, type BurstRole, type ReplyBurstResult } from './reply-burst.js';

/** Targets of the reply-burst issue (same run, this machine). */
const BURST_TARGETS = { ratio: BURST_TARGET_RATIO, p99Ms: 50, commandsDuringLoad: 20, commandsUntilLastReply: 40, floorRatio: 1.05, rateLimited: 0 };

/** Targets from the intake issue: half the bare server's throughput, p99 ack under 20 ms. */
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 20;

interface Row {
  benchmark: string;
  value: string;
  target: string;
  ok: string;
}

/** Router target from the hostile-text issue: one message at the length cap within 5 ms. */
const TARGET_ROUTER_WORST_MS = 5;

interface RouterFigures {
  messagesPerSecond: number;
  worstCaseMs?: number;
  worstCaseText?: string;
  model?: { artefactKb: number; features: number; loadMs: number; heapKb: number };
}

/** Router throughput target of the generalisation issue: one core. */
const TARGET_ROUTER_RATE = 20_000;

async function routerFigures(): Promise<RouterFigures | undefined> {
  if (!existsSync(fileURLToPath(new URL('./router.ts', import.meta.url)))) return undefined;
  const mod = (await import('./router.js')) as { benchRouter?: (o: { durationMs: number }) => RouterFigures | Promise<RouterFigures> };
  return mod.benchRouter ? await mod.benchRouter({ durationMs: 3000 }) : undefined;
}

function routerRows(r: RouterFigures): Row[] {
  const rows: Row[] = [
    {
      benchmark: 'router: messages/s (rules + model, one core)',
      value: String(r.messagesPerSecond),
      target: `>= ${TARGET_ROUTER_RATE}`,
      ok: r.messagesPerSecond >= TARGET_ROUTER_RATE ? 'yes' : 'NO',
    },
  ];
  if (r.model) {
    rows.push(
      { benchmark: `router: model artefact (${r.model.features} features)`, value: `${r.model.artefactKb} KB`, target: '', ok: '' },
      { benchmark: 'router: model load (parse + build, median of 5)', value: `${r.model.loadMs} ms`, target: '', ok: '' },
      { benchmark: 'router: model heap after load', value: `${r.model.heapKb} KB`, target: '', ok: '' },
    );
  }
  if (r.worstCaseMs !== undefined) {
    const ok = r.worstCaseMs <= TARGET_ROUTER_WORST_MS ? 'yes' : 'NO';
    rows.push({ benchmark: 'router: worst CPU ms/message at the cap', value: r.worstCaseMs.toFixed(2), target: `<= ${TARGET_ROUTER_WORST_MS}`, ok });
  }
  return rows;
}

function intakeRows(r: IntakeResult): Row[] {
  const check = (pass: boolean) => (pass ? 'yes' : 'NO');
  return [
    { benchmark: 'intake: bot events/s', value: String(r.bot.eventsPerSec), target: '', ok: '' },
    { benchmark: 'intake: bare node:http req/s', value: String(r.bare.eventsPerSec), target: '', ok: '' },
    { benchmark: 'intake: bot / bare', value: r.ratio.toFixed(2), target: `>= ${TARGET_RATIO}`, ok: check(r.ratio >= TARGET_RATIO) },
    { benchmark: 'intake: bot p50 ack (ms)', value: r.bot.p50Ms.toFixed(2), target: '', ok: '' },
    { benchmark: `intake: bot p99 ack (ms), c=${r.concurrency}`, value: r.bot.p99Ms.toFixed(2), target: `< ${TARGET_P99_MS}`, ok: check(r.bot.p99Ms < TARGET_P99_MS) },
    { benchmark: 'intake: bare p99 (ms)', value: r.bare.p99Ms.toFixed(2), target: '', ok: '' },
    { benchmark: 'intake: server µs/request bot / bare', value: `${r.bot.serverBusyUsPerRequest} / ${r.bare.serverBusyUsPerRequest}`, target: '', ok: '' },
  ];
}

function burstRows(r: ReplyBurstResult): Row[] {
  const check = (pass: boolean) => (pass ? 'yes' : 'NO');
  const t = BURST_TARGETS;
  return [
    { benchmark: `burst: bot acks/s (${r.events} events, ${r.senders} senders, c=${r.concurrency}, role ${r.role})`, value: String(r.bot.eventsPerSec), target: '', ok: '' },
    { benchmark: 'burst: bare node:http req/s (median of 3; range)', value: `${r.bare.eventsPerSec} (${r.bareRange[0]}–${r.bareRange[1]})`, target: '', ok: '' },
    { benchmark: 'burst: minimal durable ack req/s (raw node:http + verify + BullMQ add; median of 3; range)', value: `${r.minimalAck.eventsPerSec} (${r.minimalAckRange[0]}–${r.minimalAckRange[1]})`, target: '', ok: '' },
    { benchmark: 'burst: minimal ack / bare (a bare-bones durable intake); bot / minimal ack', value: `${r.minimalAckRatio.toFixed(2)}; ${r.ratioToMinimalAck.toFixed(2)}`, target: '', ok: '' },
    { benchmark: 'burst: its halves / bare: verify only (no Redis); enqueue only (no verification)', value: `${r.verifyOnlyRatio.toFixed(2)}; ${r.enqueueOnlyRatio.toFixed(2)}`, target: '', ok: '' },
    {
      benchmark: `burst: machine CPU µs/event (process + redis-server): bare; verify only; enqueue only; minimal ack; bot (budget at ${t.ratio} x bare)`,
      value: `${r.cpuUsPerEvent.bare}; ${r.cpuUsPerEvent.verifyOnly}; ${r.cpuUsPerEvent.enqueueOnly}; ${r.cpuUsPerEvent.minimalAck}; ${r.cpuUsPerEvent.bot} (${r.cpuBudgetUsPerEventAtTarget})`,
      target: '',
      ok: '',
    },
    { benchmark: 'burst: bot / bare', value: r.ratio.toFixed(2), target: `>= ${t.ratio}`, ok: check(r.ratio >= t.ratio) },
    { benchmark: 'burst: p50 / p99 ack (ms)', value: `${r.bot.p50Ms} / ${r.bot.p99Ms}`, target: `p99 < ${t.p99Ms}`, ok: check(r.bot.p99Ms < t.p99Ms) },
    { benchmark: `burst: Redis commands/event during load (${r.redis} redis)`, value: String(r.redisCommandsPerEventDuringLoad), target: `<= ${t.commandsDuringLoad}`, ok: check(r.redisCommandsPerEventDuringLoad <= t.commandsDuringLoad) },
    { benchmark: 'burst: Redis commands/event until last reply', value: String(r.redisCommandsPerEventUntilLastReply), target: `<= ${t.commandsUntilLastReply}`, ok: check(r.redisCommandsPerEventUntilLastReply <= t.commandsUntilLastReply) },
    { benchmark: 'burst: last reply after (s) / send floor (s)', value: `${(r.lastReplyAfterMs / 1000).toFixed(1)} / ${r.sendFloorMs / 1000}`, target: `<= ${t.floorRatio} x`, ok: check(r.floorRatio <= t.floorRatio) },
    { benchmark: 'burst: replies / 429s', value: `${r.replies} / ${r.rateLimited}`, target: '0 x 429', ok: check(r.rateLimited === t.rateLimited && r.replies === r.events) },
    { benchmark: 'burst: process CPU µs/request bot / bare; CPU µs/reply after the load', value: `${r.bot.processCpuUsPerRequest} / ${r.bare.processCpuUsPerRequest}; ${r.cpuUsPerReplyAfterLoad}`, target: '', ok: '' },
    { benchmark: 'burst: main-thread CPU µs/request bot / bare; replies during the load', value: `${r.bot.mainThreadCpuUsPerRequest} / ${r.bare.mainThreadCpuUsPerRequest}; ${r.repliesDuringLoad}`, target: '', ok: '' },
    { benchmark: 'burst: load average (1 min) at the end', value: r.loadAverage.toFixed(1), target: '', ok: '' },
  ];
}

function reminderRows(r: ReminderPassResult): Row[] {
  const check = (pass: boolean) => (pass ? 'yes' : 'NO');
  return [
    { benchmark: `reminders: pass over ${r.employees} employees (${r.sent} cards, ${r.pages} pages)`, value: `${(r.durationMs / 1000).toFixed(1)} s / floor ${(r.floorMs / 1000).toFixed(1)} s`, target: '', ok: '' },
    { benchmark: 'reminders: duration / floor', value: r.ratio.toFixed(3), target: '<= 1.05', ok: check(r.ratio <= 1.05) },
    { benchmark: 'reminders: 429s (sends / HR APIs), duplicates', value: `${r.rateLimited.sends} / ${r.rateLimited.hr}, ${r.duplicates}`, target: '0 / 0, 0', ok: check(r.rateLimited.sends + r.rateLimited.hr + r.duplicates === 0) },
    { benchmark: 'reminders: cards / employees due, cards after the pass ended', value: `${r.sent} / ${r.due}, ${r.cardsAfterEnd}`, target: 'all, 0', ok: check(r.sent === r.due && r.cardsAfterEnd === 0) },
    { benchmark: 'reminders: expire-record calls / push jobs at most queued', value: `${r.expireRecordCalls} / ${r.maxQueued}`, target: '', ok: '' },
    { benchmark: 'reminders: projection for 100 000 employees (min)', value: `${r.projection100k.projectedMin} (floor ${r.projection100k.floorMin})`, target: '', ok: '' },
    { benchmark: 'reminders: first card after / sending / wind-down (s)', value: [r.timeline.firstCardMs, r.timeline.sendingMs, r.timeline.windDownMs].map((ms) => (ms / 1000).toFixed(1)).join(' / '), target: '', ok: '' },
    { benchmark: 'reminders: machine load average (1 min) start / end', value: `${r.loadAverage.start} / ${r.loadAverage.end}`, target: '', ok: '' },
  ];
}

function printTable(rows: Row[]): void {
  const cols = ['benchmark', 'value', 'target', 'ok'] as const;
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(c.length, ...rows.map((r) => r[c].length))])) as Record<(typeof cols)[number], number>;
  const line = (r: Row | Record<string, string>) => cols.map((c) => String(r[c]).padEnd(width[c])).join('  ');
  console.log(line({ benchmark: 'benchmark', value: 'value', target: 'target', ok: 'ok' }));
  console.log(cols.map((c) => '-'.repeat(width[c])).join('  '));
  for (const r of rows) console.log(line(r));
}

/**
 * Each part runs in a process of its own (this script again, with BENCH_PART): a bot left
 * over from one part (its heap, timers and the type feedback its code collected) would
 * otherwise weigh on the next one, which no running bot carries.
 */
const PARTS = {
  intake: (): Promise<IntakeResult> =>
    benchIntake({ requests: Number(process.env.BENCH_REQUESTS ?? 20_000), concurrency: 32, rounds: Number(process.env.BENCH_ROUNDS ?? 3) }),
  // BENCH_BURST_EVENTS shrinks the burst for quick iterations (senders stay a tenth of it);
  // BENCH_BURST_ROLE=split runs a web process here and a worker process beside it.
  burst: (): Promise<ReplyBurstResult> => {
    const events = Number(process.env.BENCH_BURST_EVENTS ?? 3000);
    return benchReplyBurst({ events, senders: Math.max(1, Math.round(events / 10)), concurrency: 32, role: (process.env.BENCH_BURST_ROLE ?? 'all') as BurstRole });
  },
  reminders: (): Promise<ReminderPassResult> =>
    benchReminderPass({ employees: Number(process.env.BENCH_EMPLOYEES ?? 2000), redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' }),
  router: (): Promise<RouterFigures | undefined> => routerFigures(),
};
type Part = keyof typeof PARTS;

const part = process.env.BENCH_PART;
if (part) {
  // A child: one part, its figures to the file the parent named.
  if (!Object.hasOwn(PARTS, part)) throw new Error(`BENCH_PART must be one of ${Object.keys(PARTS).join(', ')}`);
  const figures = await PARTS[part as Part]();
  writeFileSync(process.env.BENCH_PART_OUT!, JSON.stringify(figures ?? null));
  process.exit(0);
}

/** Runs one part in a fresh process with this process's Node flags (tsx, --no-flush-bytecode, --no-memory-reducer). */
async function inChild<P extends Part>(name: P): Promise<Awaited<ReturnType<(typeof PARTS)[P]>>> {
  const out = join(mkdtempSync(join(tmpdir(), 'hrbot-bench-')), `${name}.json`);
  try {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_PART: name, BENCH_PART_OUT: out },
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`bench part ${name} failed (exit ${code})`);
    return JSON.parse(readFileSync(out, 'utf8')) as Awaited<ReturnType<(typeof PARTS)[P]>>;
  } finally {
    rmSync(dirname(out), { recursive: true, force: true });
  }
}

const intake = process.env.BENCH_SKIP_INTAKE ? undefined : await inChild('intake');
const burst = process.env.BENCH_SKIP_BURST ? undefined : await inChild('burst');
const reminders = process.env.BENCH_SKIP_REMINDERS ? undefined : await inChild('reminders');
const router = process.env.BENCH_SKIP_ROUTER ? undefined : ((await inChild('router')) ?? undefined);
const rows = intake ? intakeRows(intake) : [];
if (burst) rows.push(...burstRows(burst));
if (reminders) rows.push(...reminderRows(reminders));
if (router) rows.push(...routerRows(router));
printTable(rows);

/** The previous results: sections of parts skipped this time are kept, with when they were measured. */
function previousResults(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!parsed || typeof parsed !== 'object') return {};
    const { date, node: _node, ...sections } = parsed as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(sections).map(([name, section]) => [
        name,
        section && typeof section === 'object' && !('measuredAt' in section) ? { ...section, measuredAt: date } : section,
      ]),
    );
  } catch {
    return {};
  }
}

const resultsFile = fileURLToPath(new URL('./results.json', import.meta.url));
const measuredAt = new Date().toISOString();
const results = {
  ...previousResults(resultsFile),
  date: measuredAt,
  node: process.version,
  ...(intake ? { intake: { ...intake, targets: { ratio: TARGET_RATIO, p99Ms: TARGET_P99_MS }, measuredAt } } : {}),
  ...(burst ? { replyBurst: { ...burst, targets: BURST_TARGETS, measuredAt } } : {}),
  ...(reminders ? { reminderPass: { ...reminders, measuredAt } } : {}),
  ...(router ? { router: { ...router, measuredAt } } : {}),
};
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
console.log('\nwrote bench/results.json');
