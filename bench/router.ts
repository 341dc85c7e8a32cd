/**
 * Router figures for `npm run bench`: throughput on the team's own labelled
 * messages (test/bot/router/, no outside corpus) and the worst time one hostile
 * message at the length cap takes. The router runs on every incoming message, so
 * both must stay far below the cost of the Feishu round trip that follows it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadIntentModel, type IntentModel } from '../src/bot/router/model/classifier.js';
import { corpusFiles, LABEL_ROUTE, readCorpus } from '../src/bot/router/model/evaluate.js';
import { EN, ZH } from '../src/bot/router/lexicon.js';
import { MAX_ROUTED_CHARS, routeIntent } from '../src/bot/router/router.js';

const CORPUS_DIR = fileURLToPath(new URL('../test/bot/router/', import.meta.url));
const ROUTE = LABEL_ROUTE;

/**
 * Texts of the labelled lines the router trains on (held-out.jsonl and corpus/*.jsonl, the
 * same files as the trainer: not the sealed `fresh-*` sets, which are only ever scored).
 */
function ownMessages(): string[] {
  return readCorpus(corpusFiles(CORPUS_DIR)).map((r) => r.text);
}

/** `piece` repeated up to the router's cap. */
export const toCap = (piece: string): string => piece.repeat(Math.ceil(MAX_ROUTED_CHARS / piece.length)).slice(0, MAX_ROUTED_CHARS);

/** Every lexicon term, both languages: the raw material of hostile texts. */
export function lexiconFragments(): string[] {
  const terms = [...Object.values(ZH), ...Object.values(EN)].flatMap((list) => list.split('|').map((t) => t.split('+')[0] ?? ''));
  return [...new Set(terms.filter(Boolean))];
}

/**
 * Texts at the cap built to make a matcher work hard: the known freezer ("请" + "下周的"…),
 * each lexicon term repeated, dates, numbers, record ids, separators, full-width and
 * compatibility characters.
 */
export function hostileTexts(): string[] {
  const shapes = [
    `请${'下周的'.repeat(1333)}`,
    `请${'下周的'.repeat(28)}`,
    toCap('请下周的'), toCap('6月底'), toCap('2025-06-30 '), toCap('1'), toCap('1.'), toCap(' '), toCap('may '),
    toCap('reason: '), toCap('原因：'), toCap('７１２３４５６７８９０１２３４５６７８'), toCap('英文中文'), toCap('a'),
    toCap('ａ'), toCap('工资条年假余额'), toCap('paysilp balence '), toCap('请假'), toCap('休1'), toCap('今年6月'),
    toCap('假'), toCap('工资'), toCap('@_user_1 '), toCap('🙏'), '\ufdfa'.repeat(250), toCap('㍿'), toCap('end of '),
  ];
  const terms = lexiconFragments().map((t) => toCap(`${t} `));
  return [...shapes, ...terms];
}

/**
 * Routes the own labelled messages for about `durationMs` after a short warm-up.
 *
 * @example benchRouter({ durationMs: 1000 }) // → { messagesPerSecond: 85000, ... }
 */
export function benchRouter(opts: { durationMs: number }): {
  messagesPerSecond: number;
  worstCaseMs: number;
  worstCaseText: string;
  model: ModelFootprint;
} {
  const model = modelFootprint();
  const messages = ownMessages();
  for (let i = 0; i < 3; i++) for (const m of messages) routeIntent(m, ROUTE);
  let routed = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < opts.durationMs) {
    for (const m of messages) routeIntent(m, ROUTE);
    routed += messages.length;
    elapsed = performance.now() - start;
  }
  const worst = worstCase(hostileTexts());
  return { messagesPerSecond: Math.round(routed / (elapsed / 1000)), worstCaseMs: worst.ms, worstCaseText: worst.label, model };
}

const ARTEFACT = fileURLToPath(new URL('../src/bot/router/data/intent-model.json', import.meta.url));

/** The shipped intent model's size on disk, load time and heap once loaded. */
export interface ModelFootprint {
  artefactKb: number;
  features: number;
  /** Median over five loads of parsing the JSON and building the model. */
  loadMs: number;
  /** Heap growth after one load, with a full GC before and after (kept alive while measured). */
  heapKb: number;
}

/** A full garbage collection, through a gc function exposed on demand (no node flag needed). */
function collect(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

export function modelFootprint(): ModelFootprint {
  const text = readFileSync(ARTEFACT, 'utf8');
  const times: number[] = [];
  let features = 0;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const raw = JSON.parse(text) as { features: unknown[] };
    loadIntentModel(raw);
    times.push(performance.now() - start);
    features = raw.features.length;
  }
  collect();
  const before = process.memoryUsage().heapUsed;
  const kept: IntentModel[] = [loadIntentModel(JSON.parse(text))];
  collect();
  const heapKb = Math.round((process.memoryUsage().heapUsed - before) / 1024);
  kept.length = 0;
  return {
    artefactKb: Math.round(Buffer.byteLength(text) / 1024),
    features,
    loadMs: Number((times.sort((a, b) => a - b)[2] ?? 0).toFixed(2)),
    heapKb,
  };
}

/** CPU milliseconds this process spent running `fn`: unlike wall time, other busy processes do not inflate it. */
function cpuMs(fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/**
 * The slowest text's median CPU time over five routings, after one warm-up pass over all
 * of them (the median keeps one GC pause out; the warm-up keeps JIT compilation out).
 */
export function worstCase(texts: readonly string[]): { ms: number; label: string } {
  for (const text of texts) routeIntent(text, ROUTE);
  let worst = { ms: 0, label: '' };
  for (const text of texts) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      times.push(cpuMs(() => routeIntent(text, ROUTE)));
    }
    const median = times.sort((a, b) => a - b)[2] ?? 0;
    if (median > worst.ms) worst = { ms: median, label: `${JSON.stringify(text.slice(0, 12))}… (${text.length} chars)` };
  }
  return { ms: Number(worst.ms.toFixed(3)), label: worst.label };
}
