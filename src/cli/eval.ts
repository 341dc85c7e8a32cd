/**
 * `cli eval [--folds 5] [--seed 1] [--dir test/bot/router] [--misses] [--json]`: k-fold by
 * family over the team corpus. For each fold a model is trained on the other folds and the
 * whole router (rules, model, vote, slots) answers the held-out fold; the report gives
 * per-language, per-file and per-intent figures, unknown recall, the false-unknown rate,
 * exact slots, a confusion table, and the rules alone for comparison.
 *
 * `cli eval --file PATH [--misses] [--json]`: the shipped router as it is (committed model,
 * no retraining) answers every line of one labelled file, e.g. the fresh sets
 * test/bot/router/corpus/fresh-*.jsonl, with the same report.
 */
import path from 'node:path';
import { routeIntent, shippedModel } from '../bot/router/router.js';
import { corpusFiles, crossValidate, formatReport, LABEL_ROUTE, readCorpus, rulesOnly, scoreRoutes, type CorpusRow } from '../bot/router/model/evaluate.js';
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
  synopsis: 'eval [--folds N] [--seed N] [--dir DIR] [--misses] [--json] | eval --file PATH [--misses] [--json]',
  summary:
    'k-fold by paraphrase family over the team corpus, or the shipped router on one labelled file: per language, per intent, unknown recall, false unknowns, slots, confusion',
  options: {
    folds: { type: 'string', valueName: 'N', help: 'number of folds, families never split (default: 5)' },
    seed: { type: 'string', valueName: 'N', help: 'seed that deals families to folds (default: 1)' },
    dir: { type: 'string', valueName: 'DIR', help: 'corpus directory holding corpus/*.jsonl and held-out.jsonl (default: test/bot/router)' },
    file: {
      type: 'string',
      valueName: 'PATH',
      help: 'score the shipped router (committed model, no retraining) on this one labelled .jsonl file instead of the k-fold',
    },
    misses: { type: 'boolean', help: 'also list every line answered wrongly (prints corpus text)' },
    json: { type: 'boolean', help: 'print the reports as JSON instead of tables' },
  },
  run: async ({ folds, seed, dir, file, misses, json }) => {
    if (file !== undefined) {
      if (folds !== undefined || seed !== undefined || dir !== undefined) throw new UsageError('--file takes no --folds, --seed or --dir: it scores the shipped router');
      let rows: CorpusRow[];
      try {
        rows = readCorpus([path.resolve(file)]);
      } catch (err) {
        throw new UsageError(`--file ${file}: ${err instanceof Error ? err.message.split('\n')[0] : 'unreadable'}`);
      }
      if (!rows.length) throw new UsageError(`--file ${file} holds no labelled lines`);
      const model = shippedModel();
      const report = scoreRoutes(
        rows,
        rows.map((r) => routeIntent(r.text, { ...LABEL_ROUTE, model })),
        { families: new Set(rows.map((r) => r.family)).size, folds: 0 },
      );
      if (json) process.stdout.write(`${JSON.stringify({ shipped: { ...report, misses: misses ? report.misses : [] } }, null, 2)}\n`);
      else process.stdout.write(`${formatReport(`shipped router on ${path.basename(file)}`, report, { misses: misses ?? false })}\n`);
      return 0;
    }
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
