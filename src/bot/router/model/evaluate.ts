/**
 * Honest evaluation of the router on the team corpus: k-fold by paraphrase family (a family
 * is never split between training and test), the model trained on k−1 folds and the whole
 * router (rules, model, vote, slots) scored on the held-out fold. Reports per language, per
 * intent, unknown recall, the false-unknown rate, exact slots and a confusion table.
 * The trainer (scripts/train-router.ts) uses the same folds to calibrate the model.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { INTENT_NAMES, type IntentName } from '../../../domain/intents.js';
import { routeIntent, ruleViewOf } from '../router.js';
import type { RouteResult, Slots } from '../types.js';
import { loadIntentModel, type IntentModel } from './classifier.js';
import { featureList, type RuleView } from './features.js';
import { DEFAULT_TRAINING, trainIntentModel, type HeldOutLogits, type TrainingExample, type TrainingOptions } from './train.js';

/** Today for every label in the corpus: 2025-03-15, noon in Shanghai. */
export const LABEL_NOW = new Date('2025-03-15T04:00:00Z');
export const LABEL_ROUTE = { now: LABEL_NOW, timeZone: 'Asia/Shanghai' } as const;

const CorpusLine = z.object({
  text: z.string(),
  intent: z.enum(INTENT_NAMES),
  slots: z.record(z.string(), z.unknown()),
  family: z.string().optional(),
  kind: z.string().optional(),
});

/** One labelled line; lines written without a family are each a family of their own. */
export interface CorpusRow {
  text: string;
  intent: IntentName;
  slots: Slots;
  family: string;
  file: string;
}

/**
 * Files named `fresh-*.jsonl` in the corpus folder are labelled sets kept out of training,
 * the corpus hash, the k-fold eval and the bench: the router is scored on them (`cli eval
 * --file`), never tuned on them (see test/bot/router/corpus/README.md).
 */
export const FRESH_PREFIX = 'fresh-';

/** True for a file name (or path) of a fresh, never-trained labelled set. */
export const isFreshFile = (file: string): boolean => path.basename(file).startsWith(FRESH_PREFIX);

/** The training corpus files under `dir`: `corpus/*.jsonl` except `fresh-*`, and `held-out.jsonl`, sorted. */
export function corpusFiles(dir: string): string[] {
  const own = readdirSync(path.join(dir, 'corpus'))
    .filter((f) => f.endsWith('.jsonl') && !isFreshFile(f))
    .sort()
    .map((f) => path.join(dir, 'corpus', f));
  return [...own, path.join(dir, 'held-out.jsonl')];
}

/**
 * Every labelled line of the corpus files, validated.
 *
 * @example readCorpus(corpusFiles('test/bot/router')).length // → 497
 */
export function readCorpus(files: readonly string[]): CorpusRow[] {
  return files.flatMap((file) => {
    const name = path.basename(file, '.jsonl');
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((line, i) => ({ line, i }))
      .filter(({ line }) => line.trim())
      .map(({ line, i }) => {
        const row = CorpusLine.parse(JSON.parse(line));
        return { text: row.text, intent: row.intent, slots: row.slots as Slots, family: row.family ?? `${name}/line-${i + 1}`, file: name };
      });
  });
}

/** sha256 over each file's base name and bytes, in order: what the artefact was trained on. */
export function corpusHash(files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${path.basename(f)}\n`).update(readFileSync(f)).update('\n');
  return h.digest('hex');
}

/** mulberry32: a small seeded generator, so folds are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fold of each family: families shuffled with `seed`, then dealt round-robin. */
export function assignFolds(rows: readonly CorpusRow[], folds: number, seed: number): Map<string, number> {
  const families = [...new Set(rows.map((r) => r.family))].sort();
  const random = seeded(seed);
  for (let i = families.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [families[i], families[j]] = [families[j] ?? '', families[i] ?? ''];
  }
  return new Map(families.map((f, i) => [f, i % folds]));
}

/** The rules' reading of each row (rows over the cap have none). */
export function viewsOf(rows: readonly CorpusRow[]): Array<RuleView | undefined> {
  return rows.map((r) => ruleViewOf(r.text, LABEL_ROUTE));
}

/** Training examples from rows and their views. */
export function examplesOf(rows: readonly CorpusRow[], views: ReadonlyArray<RuleView | undefined>): TrainingExample[] {
  const out: TrainingExample[] = [];
  rows.forEach((row, i) => {
    const view = views[i];
    if (!view) return;
    out.push({ features: featureList(view), label: row.intent });
  });
  return out;
}

export interface CrossValidation {
  /** The router's answer for each row, from the model that did not see its family. */
  predictions: RouteResult[];
  /** Raw logits of each row's held-out model (for calibration). */
  logits: Array<HeldOutLogits | undefined>;
  folds: number;
  families: number;
}

export interface CrossValidationOptions {
  folds: number;
  seed: number;
  training?: TrainingOptions;
  /** Calibration the held-out models use (the trainer fits these; the eval takes the shipped ones). */
  temperature: number;
  askMargin: number;
}

/**
 * k-fold by family: for each fold, a model trained on the others routes that fold's rows.
 *
 * @example crossValidate(rows, { folds: 5, seed: 1, temperature: 1, askMargin: 0 }).predictions.length === rows.length
 */
export function crossValidate(rows: readonly CorpusRow[], opts: CrossValidationOptions): CrossValidation {
  const foldOf = assignFolds(rows, opts.folds, opts.seed);
  const views = viewsOf(rows);
  const predictions: RouteResult[] = new Array<RouteResult>(rows.length);
  const logits: Array<HeldOutLogits | undefined> = new Array<HeldOutLogits | undefined>(rows.length);
  for (let fold = 0; fold < opts.folds; fold++) {
    const train = rows.map((r, i) => ({ r, i })).filter(({ r }) => foldOf.get(r.family) !== fold);
    const test = rows.map((r, i) => ({ r, i })).filter(({ r }) => foldOf.get(r.family) === fold);
    if (!test.length) continue;
    const artefact = trainIntentModel(
      examplesOf(train.map(({ r }) => r), train.map(({ i }) => views[i])),
      opts.training ?? DEFAULT_TRAINING,
    );
    const model: IntentModel = loadIntentModel({
      ...artefact,
      temperature: opts.temperature,
      askMargin: opts.askMargin,
      corpusHash: '0'.repeat(64),
      trainedOn: { rows: train.length, families: 0 },
    });
    for (const { r, i } of test) {
      predictions[i] = routeIntent(r.text, { ...LABEL_ROUTE, model });
      const view = views[i];
      logits[i] = view ? { classes: model.classes, logits: model.logits(view), label: r.intent } : undefined;
    }
  }
  return { predictions, logits, folds: opts.folds, families: foldOf.size };
}

/** The rules alone on every row, for comparison. */
export function rulesOnly(rows: readonly CorpusRow[]): RouteResult[] {
  return rows.map((r) => routeIntent(r.text, { ...LABEL_ROUTE, model: null }));
}

export type Language = 'zh' | 'en' | 'mixed';

/** Chinese, English or both, from the script of the text. */
export function languageOf(text: string): Language {
  const han = /\p{Script=Han}/u.test(text);
  const latin = /[a-z]{2}/i.test(text.replace(/@_(?:user_\d+|all)/g, ''));
  return han && latin ? 'mixed' : han ? 'zh' : 'en';
}

/** Slots as scored: `reason` is free text and not compared. */
export const scoredSlots = (slots: Slots): string =>
  JSON.stringify(Object.fromEntries(Object.entries(slots).filter(([k]) => k !== 'reason').sort()));

export interface Tally {
  total: number;
  intentOk: number;
  slotsOk: number;
}

export interface EvalReport {
  rows: number;
  families: number;
  folds: number;
  overall: Tally;
  byLanguage: Record<Language, Tally>;
  byFile: Record<string, Tally>;
  /** Per true intent: rows, intent right, slots right, and how often the intent was predicted at all. */
  byIntent: Record<string, Tally & { predicted: number }>;
  unknownRecall: number;
  falseUnknownRate: number;
  /** Rows answered with a question, and how many of those offered the right intent. */
  asked: { total: number; rightOffered: number };
  /** confusion[truth][predicted] = count. */
  confusion: Record<string, Record<string, number>>;
  misses: Array<{ text: string; want: string; got: string }>;
}

/**
 * Scores predictions against the labels.
 *
 * @example scoreRoutes(rows, crossValidate(rows, opts).predictions).overall.intentOk
 */
export function scoreRoutes(rows: readonly CorpusRow[], predictions: readonly RouteResult[], meta = { families: 0, folds: 0 }): EvalReport {
  const empty = (): Tally => ({ total: 0, intentOk: 0, slotsOk: 0 });
  const report: EvalReport = {
    rows: rows.length,
    ...meta,
    overall: empty(),
    byLanguage: { zh: empty(), en: empty(), mixed: empty() },
    byFile: {},
    byIntent: Object.fromEntries(INTENT_NAMES.map((n) => [n, { ...empty(), predicted: 0 }])),
    unknownRecall: 0,
    falseUnknownRate: 0,
    asked: { total: 0, rightOffered: 0 },
    confusion: Object.fromEntries(INTENT_NAMES.map((n) => [n, {}])),
    misses: [],
  };
  let unknownTotal = 0;
  let unknownOk = 0;
  let inScope = 0;
  let shrugged = 0;
  rows.forEach((row, i) => {
    const got = predictions[i] ?? { intent: 'unknown', slots: {}, confidence: 0 };
    const intentOk = got.intent === row.intent;
    const slotsOk = intentOk && scoredSlots(got.slots) === scoredSlots(row.slots);
    report.byFile[row.file] ??= empty();
    const perIntent = report.byIntent[row.intent];
    for (const t of [report.overall, report.byLanguage[languageOf(row.text)], report.byFile[row.file], perIntent]) {
      if (!t) continue;
      t.total++;
      t.intentOk += intentOk ? 1 : 0;
      t.slotsOk += slotsOk ? 1 : 0;
    }
    const predicted = report.byIntent[got.intent];
    if (predicted) predicted.predicted++;
    const row2 = report.confusion[row.intent] ?? {};
    row2[got.intent] = (row2[got.intent] ?? 0) + 1;
    report.confusion[row.intent] = row2;
    if (row.intent === 'unknown') {
      unknownTotal++;
      unknownOk += got.intent === 'unknown' ? 1 : 0;
    } else {
      inScope++;
      shrugged += got.intent === 'unknown' ? 1 : 0;
    }
    if (got.alternatives) {
      report.asked.total++;
      report.asked.rightOffered += got.alternatives.some((a) => a.intent === row.intent) ? 1 : 0;
    }
    if (!slotsOk) report.misses.push({ text: row.text, want: `${row.intent} ${scoredSlots(row.slots)}`, got: `${got.intent} ${scoredSlots(got.slots)}` });
  });
  report.unknownRecall = unknownTotal ? unknownOk / unknownTotal : 1;
  report.falseUnknownRate = inScope ? shrugged / inScope : 0;
  return report;
}

const pct = (n: number, d: number): string => (d ? `${((100 * n) / d).toFixed(1)}%` : '-');

/** A plain-text report: overall, per language, per file, per intent, the confusion table. */
export function formatReport(title: string, r: EvalReport, opts: { misses?: boolean } = {}): string {
  const line = (label: string, t: Tally, extra = ''): string =>
    `  ${label.padEnd(22)} n=${String(t.total).padStart(4)}  intent ${pct(t.intentOk, t.total).padStart(6)}  intent+slots ${pct(t.slotsOk, t.total).padStart(6)}${extra}`;
  const short = (n: string): string => n.replace('reminder.', 'rem.').replace('leave.balance', 'balance').replace('language.set', 'lang').replace('accrual.edit', 'accrual');
  const cols = INTENT_NAMES.filter((n) => r.byIntent[n]?.total || r.byIntent[n]?.predicted);
  const width = Math.max(8, ...cols.map((c) => short(c).length + 1));
  const out = [
    `${title}: ${r.rows} rows, ${r.families} families${r.folds ? `, ${r.folds}-fold by family` : ''}`,
    line('all', r.overall),
    `  unknown recall ${pct(r.unknownRecall, 1)}, false-unknown ${pct(r.falseUnknownRate, 1)}, asked ${r.asked.total} (right intent offered in ${r.asked.rightOffered})`,
    'by language:',
    ...(['zh', 'en', 'mixed'] as const).map((l) => line(l, r.byLanguage[l])),
    'by file:',
    ...Object.entries(r.byFile).sort().map(([f, t]) => line(f, t)),
    'by intent (recall; precision = right / predicted):',
    ...cols.map((n) => {
      const t = r.byIntent[n] ?? { total: 0, intentOk: 0, slotsOk: 0, predicted: 0 };
      return line(n, t, `  precision ${pct(t.intentOk, t.predicted)}`);
    }),
    'confusion (rows: truth, columns: answer):',
    `  ${''.padEnd(width)}${cols.map((c) => short(c).padStart(width)).join('')}`,
    ...cols.map((truth) => `  ${short(truth).padEnd(width)}${cols.map((c) => String(r.confusion[truth]?.[c] ?? 0).padStart(width)).join('')}`),
  ];
  if (opts.misses) out.push('misses:', ...r.misses.map((m) => `  ${JSON.stringify(m.text)}\n    want ${m.want}\n    got  ${m.got}`));
  return out.join('\n');
}
