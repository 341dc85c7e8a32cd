/**
 * `npm run train:router`: trains the statistical intent layer from the team corpus
 * (test/bot/router/corpus/*.jsonl and held-out.jsonl) and writes
 * src/bot/router/data/intent-model.json. Deterministic: the same corpus gives the same bytes.
 *
 * 1. 5-fold cross-validation by family (seed 1): out-of-fold logits for every line.
 * 2. Temperature: the one that minimises the out-of-fold negative log-likelihood.
 * 3. Ask margin: the gap between the two best in-scope intents below which asking costs
 *    less than guessing, on the out-of-fold answers (a wrong answer costs 1, a question
 *    offering the right intent 0.35, one that does not 1).
 * 4. The final model on every line, with both calibrations and the corpus hash.
 *
 * A test fails when the committed artefact is not what this script makes of the committed corpus.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildArtefact } from './train-router-lib.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = fileURLToPath(new URL('../src/bot/router/data/intent-model.json', import.meta.url));

const started = performance.now();
const { artefact, json, report } = buildArtefact(ROOT);
writeFileSync(OUT, json);
process.stdout.write(
  `trained on ${artefact.trainedOn.rows} lines in ${artefact.trainedOn.families} families: ` +
    `${artefact.features.length} features, temperature ${artefact.temperature}, ask margin ${artefact.askMargin}; ` +
    `out-of-fold intent ${(100 * report.intent).toFixed(1)}%, ${(json.length / 1024).toFixed(0)} KB, ` +
    `${((performance.now() - started) / 1000).toFixed(1)} s\nwrote ${OUT}\n`,
);
