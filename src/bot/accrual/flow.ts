import type { AccrualClicks } from './decide.js';
import { createClicks } from './decide.js';
import type { AccrualDeps } from './deps.js';
import { createProposer, type Proposer } from './propose.js';
import { createSettler, type AccrualSettler } from './settle.js';

/** The HR maker-checker flow for grant-record edits: propose, decide, write, tell. */
export interface AccrualFlow {
  proposer: Proposer;
  clicks: AccrualClicks;
  settler: AccrualSettler;
}

/**
 * @example
 * const flow = createAccrualFlow({ config, store, keys, feishu, delivery, requests, audit, logger, i18n, now, jobs: queue, timing, contextFor })
 * await flow.settler.runJob({ kind: 'accrual.nudge', editId, version: 2 })
 */
export function createAccrualFlow(deps: AccrualDeps): AccrualFlow {
  const proposer = createProposer(deps);
  const settler = createSettler(deps);
  return { proposer, settler, clicks: createClicks(deps, proposer, settler) };
}
