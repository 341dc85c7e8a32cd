import type { z } from 'zod';
import type { Card } from './card.js';

import type { FeishuApiName } from './apis.js';

/** API names come from the one catalogue (`apis.ts`). */
export type { FeishuApiName } from './apis.js';

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface FeishuRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path beginning with `/open-apis/…`. */
  url: string;
  /** Query parameters; arrays are sent as repeated keys (`a=1&a=2`). */
  params?: Record<string, QueryValue>;
  data?: unknown;
}

export interface FeishuCallOptions {
  /** Extra limiter scopes, e.g. `{ receiver: 'ou_…' }` for the 5/s per user rule. */
  receiver?: string;
  /** Card PATCH: the message being updated (5/s per message). */
  messageId?: string;
  /** Give up waiting for the limiter after this long (ms). Default: 60 s. */
  maxWaitMs?: number;
  /** Parse the whole answer instead of its `data` (a few APIs, e.g. bot/v3/info, answer at top level). */
  topLevel?: boolean;
}

/**
 * The one outbound door to Feishu: token, shared rate limiter, bounded retries on
 * 429/5xx, token refresh on 99991663/99991661/99991664, typed errors. Resolves with
 * the response's `data` field parsed by `schema`.
 *
 * @example
 * const data = await feishu.call('corehr.leaveTypes',
 *   { method: 'GET', url: '/open-apis/corehr/v1/leaves/leave_types', params: { page_size: '100' } },
 *   LeaveTypesPage)
 */
export interface FeishuApi {
  call<S extends z.ZodType>(
    api: FeishuApiName,
    req: FeishuRequest,
    schema: S,
    opts?: FeishuCallOptions,
  ): Promise<z.output<S>>;
}

/** Where a new message goes. */
export type Recipient = { openId: string } | { chatId: string };

export interface SendOptions {
  /**
   * Idempotency key (≤ 50 chars), derived from the triggering event, so that a
   * retried handler never sends twice (Feishu dedupes one uuid for 1 h).
   */
  uuid: string;
}

/** Sends, replies to and updates Card JSON 2.0 cards. Resolves with the new message id. */
export interface Messenger {
  /** Also resolves with the chat the message landed in, when Feishu says (a person's private chat for `openId`). */
  send(to: Recipient, card: Card, opts: SendOptions): Promise<{ messageId: string; chatId?: string }>;
  reply(messageId: string, card: Card, opts: SendOptions & { chatId?: string }): Promise<{ messageId: string }>;
  update(messageId: string, card: Card): Promise<void>;
  /** Delayed update of a card after a callback was answered (card-update token, 30 min, 2 uses). */
  updateByToken(token: string, card: Card): Promise<void>;
}

/**
 * A Feishu call that failed. `code` is Feishu's business code (0 when none came back,
 * e.g. a network failure after retries); `httpStatus` the HTTP status if any.
 */
export class FeishuApiError extends Error {
  constructor(
    readonly api: FeishuApiName,
    readonly code: number,
    message: string,
    readonly httpStatus?: number,
    readonly logId?: string,
  ) {
    super(`${api} failed: ${code ? `code ${code}: ` : ''}${message}`);
    this.name = 'FeishuApiError';
  }

  /**
   * True for failures a later retry might fix (rate limit, 5xx, network). Rate-limit
   * codes: 99991400 (generic), 230020 (per-chat frequency, HTTP 400), 11232 (tenant IM).
   */
  get transient(): boolean {
    return (
      this.httpStatus === undefined ||
      this.httpStatus === 429 ||
      this.httpStatus >= 500 ||
      this.code === 99991400 ||
      this.code === 230020 ||
      this.code === 11232
    );
  }
}

/** The limiter could not grant a slot within `maxWaitMs`. */
export class RateLimitTimeoutError extends Error {
  constructor(readonly api: FeishuApiName, readonly waitedMs: number) {
    super(`${api}: rate limiter did not grant a slot within ${waitedMs} ms`);
    this.name = 'RateLimitTimeoutError';
  }
}
