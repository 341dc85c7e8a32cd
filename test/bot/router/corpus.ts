/**
 * Scores the router against the team's own labelled corpus (intent, then exact slots
 * without `reason`), split by language, with unknown recall and the false-unknown rate.
 */
import { readFileSync } from 'node:fs';
import { routeIntent, type IntentName, type Slots } from '../../../src/bot/router/router.js';

export interface LabelledMessage {
  text: string;
  intent: IntentName;
  slots: Slots;
}

export interface Tally {
  total: number;
  intentOk: number;
  slotsOk: number;
}

export interface CorpusScore {
  overall: Tally;
  byLanguage: Record<'zh' | 'en' | 'mixed', Tally>;
  /** Out-of-scope messages, and how many of them were answered `unknown`. */
  unknown: { total: number; recalled: number };
  /** In-scope messages, and how many of them got a shrug (`unknown`). */
  inScope: { total: number; shrugged: number };
  misses: string[];
}

/** Today for every label in the corpus: 2025-03-15, noon in Shanghai. */
export const LABEL_NOW = new Date('2025-03-15T04:00:00Z');

export function readCorpus(file: string): LabelledMessage[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as LabelledMessage);
}

function languageOf(text: string): 'zh' | 'en' | 'mixed' {
  const han = /\p{Script=Han}/u.test(text);
  const latin = /[a-z]{2,}/i.test(text.replace(/@_user_\d+/g, ''));
  return han && latin ? 'mixed' : han ? 'zh' : 'en';
}

const scored = (slots: Slots): string =>
  JSON.stringify(Object.fromEntries(Object.entries(slots).filter(([k]) => k !== 'reason').sort()));

export function scoreCorpus(rows: readonly LabelledMessage[], now = LABEL_NOW): CorpusScore {
  const empty = (): Tally => ({ total: 0, intentOk: 0, slotsOk: 0 });
  const score: CorpusScore = {
    overall: empty(),
    byLanguage: { zh: empty(), en: empty(), mixed: empty() },
    unknown: { total: 0, recalled: 0 },
    inScope: { total: 0, shrugged: 0 },
    misses: [],
  };
  for (const row of rows) {
    const got = routeIntent(row.text, { now, timeZone: 'Asia/Shanghai' });
    const intentOk = got.intent === row.intent;
    const slotsOk = intentOk && scored(got.slots) === scored(row.slots);
    for (const t of [score.overall, score.byLanguage[languageOf(row.text)]]) {
      t.total++;
      t.intentOk += intentOk ? 1 : 0;
      t.slotsOk += slotsOk ? 1 : 0;
    }
    if (row.intent === 'unknown') {
      score.unknown.total++;
      score.unknown.recalled += got.intent === 'unknown' ? 1 : 0;
    } else {
      score.inScope.total++;
      score.inScope.shrugged += got.intent === 'unknown' ? 1 : 0;
    }
    if (!slotsOk) {
      score.misses.push(`${row.text}\n  want ${row.intent} ${scored(row.slots)}\n  got  ${got.intent} ${scored(got.slots)}`);
    }
  }
  return score;
}

const pct = (n: number, d: number): string => (d ? ((100 * n) / d).toFixed(1) : '-');

/** One line per language and one overall, for the test log. */
export function formatScore(name: string, s: CorpusScore): string {
  const line = (label: string, t: Tally): string =>
    `${label.padEnd(8)} n=${String(t.total).padStart(3)}  intent ${pct(t.intentOk, t.total)}%  slots ${pct(t.slotsOk, t.total)}%`;
  return [
    `${name}:`,
    line('all', s.overall),
    ...(['zh', 'en', 'mixed'] as const).map((lang) => line(lang, s.byLanguage[lang])),
    `unknown recall ${pct(s.unknown.recalled, s.unknown.total)}%, false-unknown ${pct(s.inScope.shrugged, s.inScope.total)}%`,
    ...s.misses.map((m) => `  miss: ${m}`),
  ].join('\n');
}
