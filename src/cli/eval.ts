/**
 * `cli eval [--folds 5] [--seed 1] [--dir test/bot/router] [--misses] [--json]`: k-fold by
 * family over the team corpus. For each fold a model is trained on the other folds and the
 * whole router (rules, model, vote, slots) answers the held-out fold; the report gives
 * per-language, per-file and per-intent figures, unknown recall, the false-unknown rate,
 * exact slots, a confusion table, and the rules alone for comparison.
 */
import path from 'node:path';
import { shippedModel } from '../bot/router/router.js';
import { corpusFiles, crossValidate, formatReport, readCorpus, rulesOnly, scoreRoutes } from '../bot/router/model/evaluate.js';
import { defineCommand, UsageError } from './command.js';

function positiveInt(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}`);
  return n;
}

/**
 * Prints the k-fold report; exit 0.
 *
 * @example npm run cli -- eval --folds 5 --seed 1
 */
export const evalCommand = defineCommand({
  name: 'eval',
  synopsis: 'eval [--folds N] [--seed N] [--dir DIR] [--misses] [--json]',
  summary: 'k-fold by paraphrase family over the team corpus: per language, per intent, unknown recall, false unknowns, slots, confusion',
  options: {
    folds: { type: 'string', valueName: 'N', help: 'number of folds, families never split (default: 5)' },
    seed: { type: 'string', valueName: 'N', help: 'seed that deals families to folds (default: 1)' },
    dir: { type: 'string', valueName: 'DIR', help: 'corpus directory holding corpus/*.jsonl and held-out.jsonl (default: test/bot/router)' },
    misses: { type: 'boolean', help: 'also list every line answered wrongly (prints corpus text)' },
    json: { type: 'boolean', help: 'print the reports as JSON instead of tables' },
  },
  run: async ({ folds, seed, dir, misses, json }) => {
    const k = positiveInt('folds', folds, 5, 2);
    const s = positiveInt('seed', seed, 1, 0);
    const rows = readCorpus(corpusFiles(path.resolve(dir ?? 'test/bot/router')));
    const families = new Set(rows.map((r) => r.family)).size;
    if (families < k) throw new UsageError(`--folds ${k} needs at least ${k} families (the corpus has ${families})`);
    // The shipped calibration (fitted by the trainer on the same kind of folds).
    const { temperature, askMargin } = shippedModel();
    const cv = crossValidate(rows, { folds: k, seed: s, temperature, askMargin });
    const vote = scoreRoutes(rows, cv.predictions, { families: cv.families, folds: k });
    const rules = scoreRoutes(rows, rulesOnly(rows), { families: cv.families, folds: 0 });
    if (json) {
      process.stdout.write(`${JSON.stringify({ vote: { ...vote, misses: misses ? vote.misses : [] }, rules: { ...rules, misses: [] } }, null, 2)}\n`);
      return 0;
    }
    process.stdout.write(`${formatReport('rules + model (held-out folds)', vote, { misses: misses ?? false })}\n\n`);
    const r = rules.overall;
    process.stdout.write(
      `rules alone (tuned on this corpus, so not held out): intent ${((100 * r.intentOk) / r.total).toFixed(1)}%, ` +
        `intent+slots ${((100 * r.slotsOk) / r.total).toFixed(1)}%, unknown recall ${(100 * rules.unknownRecall).toFixed(1)}%, ` +
        `false-unknown ${(100 * rules.falseUnknownRate).toFixed(1)}%\n`,
    );
    return 0;
  },
});
