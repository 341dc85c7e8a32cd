import type { Config } from '../../config.js';
import { EDIT_EXPIRY_MS, EDIT_NUDGE_MS, WRITE_GUARD_MS } from '../../domain/accrual-edit.js';
import type { FeishuApi } from '../../feishu/types.js';
import type { I18n } from '../../i18n.js';
import type { AccrualJob, EnqueueOptions } from '../../jobs/types.js';
import type { Logger } from '../../log.js';
import type { AuditLog } from '../../services/accrual/audit.js';
import type { EditRequests } from '../../services/accrual/requests.js';
import type { StoreKeys } from '../../store/keys.js';
import type { Store } from '../../store/types.js';
import type { BotContext } from '../context.js';
import type { OwnerDelivery } from '../delivery.js';

/** Where the flow queues its jobs: the app's queue (BullMQ with REDIS_URL: durable, shared). */
export interface AccrualJobs {
  enqueue(job: AccrualJob, opts?: EnqueueOptions): Promise<void>;
}

/** How long the flow waits: the 24 h nudge, the 7-day expiry, the write guard (tests shorten them). */
export interface AccrualTiming {
  nudgeMs: number;
  expiryMs: number;
  writeGuardMs: number;
}

export const DEFAULT_ACCRUAL_TIMING: AccrualTiming = { nudgeMs: EDIT_NUDGE_MS, expiryMs: EDIT_EXPIRY_MS, writeGuardMs: WRITE_GUARD_MS };

/** What the accrual-edit flow uses, bound once when the bot is built. */
export interface AccrualDeps {
  config: Config;
  store: Store;
  keys: StoreKeys;
  feishu: FeishuApi;
  delivery: OwnerDelivery;
  requests: EditRequests;
  audit: AuditLog;
  logger: Logger;
  i18n: I18n;
  now: () => Date;
  jobs: AccrualJobs;
  timing: AccrualTiming;
  /** A context (language, clock) for any person: every card is in its reader's language. */
  contextFor(openId: string): Promise<BotContext>;
}

/** HR approvers who may decide a request of `requester` (never the requester). */
export function approversFor(config: Config, requester: string): string[] {
  return config.hr.approvers.filter((a) => a !== requester);
}

/** A Feishu uuid (≤ 50 chars) for one send of the flow: request id + what + version. */
export function flowUuid(requestId: string, what: string, version: number): string {
  return `${requestId.replace(/-/g, '')}-${what}${version}`.slice(0, 50);
}
