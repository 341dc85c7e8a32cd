/**
 * The statistical intent layer at run time: a multinomial logistic regression whose weights
 * come from a versioned JSON artefact (`npm run train:router` writes it). Loading builds one
 * map from feature name to a row of class weights; scoring a message is one lookup per
 * feature, so it costs what feature extraction costs.
 */
import { z } from 'zod';
import { INTENT_NAMES, type IntentName } from '../../../domain/intents.js';
import { extractFeatures, FEATURE_VERSION, type GramKind, type RuleView } from './features.js';

/** Bump when the artefact's layout changes. */
export const ARTEFACT_VERSION = 1;

const Finite = z.number().finite();

/** The artefact as written by the trainer. */
export const IntentModelArtefact = z.object({
  version: z.literal(ARTEFACT_VERSION),
  featureVersion: z.literal(FEATURE_VERSION),
  /** sha256 of the corpus files it was trained on (names and bytes), see scripts/train-router.ts. */
  corpusHash: z.string().regex(/^[0-9a-f]{64}$/),
  trainedOn: z.object({ rows: z.number().int(), families: z.number().int() }),
  training: z.object({ epochs: z.number().int(), learningRate: Finite, l2: Finite, minCount: z.number().int(), prune: Finite }),
  classes: z.array(z.enum(INTENT_NAMES)).min(2),
  /** Logits are divided by this before the softmax (fitted on out-of-fold predictions). */
  temperature: Finite.positive(),
  /** Below this gap between the two best in-scope intents the bot asks instead of guessing. */
  askMargin: Finite.min(0).max(1),
  features: z.array(z.string()),
  /** Per feature, flat pairs [class index, weight, class index, weight, …]. */
  weights: z.array(z.array(Finite)),
});
export type IntentModelArtefact = z.infer<typeof IntentModelArtefact>;

/** One intent's probability. */
export interface IntentScore {
  intent: IntentName;
  p: number;
}

/** A loaded model. */
export interface IntentModel {
  readonly classes: readonly IntentName[];
  readonly temperature: number;
  readonly askMargin: number;
  readonly corpusHash: string;
  /** Raw class scores (before temperature) of one message. */
  logits(view: RuleView): Float64Array;
  /** Calibrated probabilities, best first. */
  predict(view: RuleView): IntentScore[];
}

/** Softmax of `logits / temperature`, best first. */
export function rankedProbabilities(classes: readonly IntentName[], logits: Float64Array, temperature: number): IntentScore[] {
  let max = -Infinity;
  for (const l of logits) max = Math.max(max, l / temperature);
  const exp = Array.from(logits, (l) => Math.exp(l / temperature - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return classes.map((intent, i) => ({ intent, p: (exp[i] ?? 0) / sum })).sort((a, b) => b.p - a.p);
}

interface Row {
  weights: Float64Array;
  /** The last message that counted this row: each distinct n-gram counts once. */
  seen: number;
}

const GRAM_KINDS: readonly string[] = ['z', 'w', 'b', 'g'];
const isGramKind = (prefix: string): prefix is GramKind => GRAM_KINDS.includes(prefix);

/**
 * Builds a model from an artefact (validated: it is a file on disk, a boundary).
 *
 * @example const model = loadIntentModel(JSON.parse(readFileSync('intent-model.json', 'utf8')))
 */
export function loadIntentModel(raw: unknown): IntentModel {
  const a = IntentModelArtefact.parse(raw);
  if (a.features.length !== a.weights.length) throw new Error('intent model: features and weights differ in length');
  const k = a.classes.length;
  // Text n-grams by kind and key (no string building per lookup), rule features by name.
  const byKind: Record<GramKind, Map<string, Row>> = { z: new Map(), w: new Map(), b: new Map(), g: new Map() };
  const rules = new Map<string, Float64Array>();
  a.features.forEach((name, i) => {
    const row = new Float64Array(k);
    const pairs = a.weights[i] ?? [];
    for (let j = 0; j + 1 < pairs.length; j += 2) {
      const c = pairs[j] ?? -1;
      if (!Number.isInteger(c) || c < 0 || c >= k) throw new Error(`intent model: bad class index for ${name}`);
      row[c] = pairs[j + 1] ?? 0;
    }
    const prefix = name.slice(0, name.indexOf(':'));
    if (isGramKind(prefix)) byKind[prefix].set(name.slice(prefix.length + 1), { weights: row, seen: 0 });
    else rules.set(name, row);
  });
  const text = new Float64Array(k);
  let message = 0;
  const logits = (view: RuleView): Float64Array => {
    const out = new Float64Array(k);
    text.fill(0);
    message++;
    const count = extractFeatures(view, {
      gram: (kind, key) => {
        const row = byKind[kind].get(key);
        if (!row || row.seen === message) return;
        row.seen = message;
        for (let c = 0; c < k; c++) text[c] = (text[c] ?? 0) + (row.weights[c] ?? 0);
      },
      rule: (name, value) => {
        const row = rules.get(name);
        if (row) for (let c = 0; c < k; c++) out[c] = (out[c] ?? 0) + (row[c] ?? 0) * value;
      },
    });
    const scale = count ? 1 / Math.sqrt(count) : 0;
    for (let c = 0; c < k; c++) out[c] = (out[c] ?? 0) + (text[c] ?? 0) * scale;
    return out;
  };
  return {
    classes: a.classes,
    temperature: a.temperature,
    askMargin: a.askMargin,
    corpusHash: a.corpusHash,
    logits,
    predict: (view) => rankedProbabilities(a.classes, logits(view), a.temperature),
  };
}
