/**
 * Training of the statistical intent layer: multinomial logistic regression with L2, full-batch
 * Adam from zero weights (no randomness, so the same corpus gives the same artefact), then
 * tiny weights pruned and the rest rounded so the artefact stays small.
 */
import { INTENT_NAMES, type IntentName } from '../../../domain/intents.js';
import { ARTEFACT_VERSION, rankedProbabilities, type IntentModelArtefact } from './classifier.js';
import { FEATURE_VERSION } from './features.js';

/** One labelled message as features. */
export interface TrainingExample {
  features: ReadonlyArray<readonly [string, number]>;
  label: IntentName;
}

export interface TrainingOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  /** Text n-grams seen in fewer training messages than this are dropped. */
  minCount: number;
  /** Weights smaller than this (absolute) are dropped from the artefact. */
  prune: number;
}

export const DEFAULT_TRAINING: TrainingOptions = { epochs: 200, learningRate: 0.05, l2: 0.00003, minCount: 2, prune: 0.01 };

const TEXT_FEATURE = /^[zwbg]:/;
const round = (w: number): number => Math.round(w * 1e4) / 1e4;

/**
 * Trains on `examples`; the calibration fields (temperature, askMargin) are left at neutral
 * values for the caller to fit, the corpus fields for the caller to fill.
 *
 * @example const artefact = trainIntentModel(examples, DEFAULT_TRAINING)
 */
export function trainIntentModel(
  examples: readonly TrainingExample[],
  opts: TrainingOptions = DEFAULT_TRAINING,
): Omit<IntentModelArtefact, 'corpusHash' | 'trainedOn'> {
  const classes: IntentName[] = INTENT_NAMES.filter((c) => examples.some((e) => e.label === c));
  const k = classes.length;
  const docCount = new Map<string, number>();
  for (const e of examples) for (const name of new Set(e.features.map(([n]) => n))) docCount.set(name, (docCount.get(name) ?? 0) + 1);
  const features = [...docCount.keys()].filter((n) => !TEXT_FEATURE.test(n) || (docCount.get(n) ?? 0) >= opts.minCount).sort();
  const index = new Map(features.map((n, i) => [n, i]));
  const encoded = examples.map((e) => {
    const merged = new Map<number, number>();
    for (const [n, v] of e.features) {
      const i = index.get(n);
      if (i !== undefined) merged.set(i, (merged.get(i) ?? 0) + v);
    }
    return { idx: Int32Array.from(merged.keys()), val: Float64Array.from(merged.values()), y: classes.indexOf(e.label) };
  });

  const size = features.length * k;
  const w = new Float64Array(size);
  const grad = new Float64Array(size);
  const m1 = new Float64Array(size);
  const m2 = new Float64Array(size);
  const logits = new Float64Array(k);
  const n = encoded.length;
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    grad.fill(0);
    for (const ex of encoded) {
      logits.fill(0);
      for (let j = 0; j < ex.idx.length; j++) {
        const base = (ex.idx[j] ?? 0) * k;
        const v = ex.val[j] ?? 0;
        for (let c = 0; c < k; c++) logits[c] = (logits[c] ?? 0) + (w[base + c] ?? 0) * v;
      }
      let max = -Infinity;
      for (const l of logits) max = Math.max(max, l);
      let sum = 0;
      for (let c = 0; c < k; c++) {
        logits[c] = Math.exp((logits[c] ?? 0) - max);
        sum += logits[c] ?? 0;
      }
      for (let c = 0; c < k; c++) logits[c] = (logits[c] ?? 0) / sum - (c === ex.y ? 1 : 0);
      for (let j = 0; j < ex.idx.length; j++) {
        const base = (ex.idx[j] ?? 0) * k;
        const v = (ex.val[j] ?? 0) / n;
        for (let c = 0; c < k; c++) grad[base + c] = (grad[base + c] ?? 0) + (logits[c] ?? 0) * v;
      }
    }
    const lr = (opts.learningRate * Math.sqrt(1 - beta2 ** epoch)) / (1 - beta1 ** epoch);
    for (let i = 0; i < size; i++) {
      const g = (grad[i] ?? 0) + opts.l2 * (w[i] ?? 0);
      m1[i] = beta1 * (m1[i] ?? 0) + (1 - beta1) * g;
      m2[i] = beta2 * (m2[i] ?? 0) + (1 - beta2) * g * g;
      w[i] = (w[i] ?? 0) - (lr * (m1[i] ?? 0)) / (Math.sqrt(m2[i] ?? 0) + eps);
    }
  }

  const kept: string[] = [];
  const weights: number[][] = [];
  features.forEach((name, i) => {
    const pairs: number[] = [];
    for (let c = 0; c < k; c++) {
      const v = round(w[i * k + c] ?? 0);
      if (Math.abs(v) >= opts.prune) pairs.push(c, v);
    }
    if (pairs.length) {
      kept.push(name);
      weights.push(pairs);
    }
  });
  return {
    version: ARTEFACT_VERSION,
    featureVersion: FEATURE_VERSION,
    training: { ...opts },
    classes,
    temperature: 1,
    askMargin: 0,
    features: kept,
    weights,
  };
}

/** One out-of-fold prediction: raw logits and the true class. */
export interface HeldOutLogits {
  classes: readonly IntentName[];
  logits: Float64Array;
  label: IntentName;
}

/**
 * The temperature that minimises the negative log-likelihood of held-out predictions
 * (a grid from 0.25 to 5): calibrated probabilities from an over- or under-confident model.
 */
export function fitTemperature(heldOut: readonly HeldOutLogits[]): number {
  let best = { t: 1, nll: Infinity };
  for (let t = 0.25; t <= 5.0001; t += 0.05) {
    let nll = 0;
    for (const h of heldOut) {
      const p = rankedProbabilities(h.classes, h.logits, t).find((s) => s.intent === h.label)?.p ?? 0;
      nll -= Math.log(Math.max(p, 1e-12));
    }
    if (nll < best.nll) best = { t: Math.round(t * 100) / 100, nll };
  }
  return best.t;
}
