/**
 * Scores the router against the team's own labelled corpus (intent, then exact slots
 * without `reason`), split by language, with unknown recall and the false-unknown rate.
 * The tally and the report are the eval's (src/bot/router/model/evaluate.ts); this file only
 * reads lines as written (a test checks their raw `family`) and routes them with the shipped model.
 */
import { readFileSync } from 'node:fs';
import { formatReport, LABEL_NOW, scoreRoutes, type EvalReport, type Language, type Tally } from '../../../src/bot/router/model/evaluate.js';
import { routeIntent, type IntentName, type Slots } from '../../../src/bot/router/router.js';

export { LABEL_NOW, type Tally };

export interface LabelledMessage {
  text: string;
  intent: IntentName;
  slots: Slots;
}

export interface CorpusScore {
  overall: Tally;
  byLanguage: Record<Language, Tally>;
  /** Out-of-scope messages, and how many of them were answered `unknown`. */
  unknown: { total: number; recalled: number };
  /** In-scope messages, and how many of them got a shrug (`unknown`). */
  inScope: { total: number; shrugged: number };
  /** The eval's full report, misses included. */
  report: EvalReport;
}

export function readCorpus(file: string): LabelledMessage[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as LabelledMessage);
}

export function scoreCorpus(rows: readonly LabelledMessage[], now = LABEL_NOW): CorpusScore {
  const report = scoreRoutes(
    rows.map((r) => ({ text: r.text, intent: r.intent, slots: r.slots, family: '', file: '' })),
    rows.map((r) => routeIntent(r.text, { now, timeZone: 'Asia/Shanghai' })),
  );
  const unknown = report.byIntent.unknown ?? { total: 0, intentOk: 0, slotsOk: 0, predicted: 0 };
  return {
    overall: report.overall,
    byLanguage: report.byLanguage,
    unknown: { total: unknown.total, recalled: unknown.intentOk },
    inScope: { total: report.rows - unknown.total, shrugged: unknown.predicted - unknown.intentOk },
    report,
  };
}

/** The eval's report with every miss, for the test log. */
export function formatScore(name: string, s: CorpusScore): string {
  return formatReport(name, s.report, { misses: true });
}
