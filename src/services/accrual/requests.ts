import { randomUUID } from 'node:crypto';
import { EditRequest, type Refusal, type Step } from '../../domain/accrual-edit.js';
import type { StoreKeys } from '../../store/keys.js';
import type { Store } from '../../store/types.js';

/** Requests (drafts included) are kept 30 days after their last move; the audit log keeps the history. */
export const REQUEST_TTL_MS = 30 * 24 * 3600_000;

export type Moved = { ok: true; request: EditRequest; previous: EditRequest } | { ok: false; refusal: Refusal; request?: EditRequest };

/**
 * Accrual-edit requests in the shared store. Every move is one compare-and-set on the
 * whole stored JSON: of two instances moving the same request at once, exactly one wins,
 * and the other sees the winner's state.
 */
export interface EditRequests {
  create(fields: Omit<EditRequest, 'id' | 'version' | 'status' | 'attempts'>): Promise<EditRequest>;
  load(id: string): Promise<EditRequest | undefined>;
  /**
   * Applies `step` when the stored version is `version` (the one the button was drawn
   * for; `undefined` = whatever is stored). A different version refuses with `stale`
   * or with why the request moved on.
   */
  move(id: string, version: number | undefined, step: (r: EditRequest) => Step): Promise<Moved>;
  /** Remembers an approval card sent for the request. */
  addCard(id: string, openId: string, messageId: string): Promise<void>;
  cards(id: string): Promise<Array<{ openId: string; messageId: string }>>;
  /** True the first time only: approvers are nudged once. */
  markNudged(id: string): Promise<boolean>;
}

function parse(raw: string | null): EditRequest | undefined {
  if (raw === null) return undefined;
  try {
    const parsed = EditRequest.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Why a button drawn for `version` does not move `current`. */
function staleRefusal(current: EditRequest): Refusal {
  if (current.status === 'expired') return 'expired';
  return current.status === 'draft' || current.status === 'pending' ? 'stale' : 'alreadyDecided';
}

/** @example const requests = createEditRequests(store, keys) */
export function createEditRequests(store: Store, keys: StoreKeys): EditRequests {
  return {
    async create(fields) {
      const request: EditRequest = { ...fields, id: randomUUID(), version: 1, status: 'draft', attempts: 0 };
      await store.set(keys.accrualEdit(request.id), JSON.stringify(request), { ttlMs: REQUEST_TTL_MS });
      return request;
    },

    async load(id) {
      return parse(await store.get(keys.accrualEdit(id)));
    },

    async move(id, version, step) {
      const key = keys.accrualEdit(id);
      const raw = await store.get(key);
      const current = parse(raw);
      if (!current || raw === null) return { ok: false, refusal: 'notFound' };
      if (version !== undefined && current.version !== version) return { ok: false, refusal: staleRefusal(current), request: current };
      const result = step(current);
      if (!result.ok) return { ok: false, refusal: result.refusal, request: current };
      if (await store.compareAndSet(key, raw, JSON.stringify(result.next), { ttlMs: REQUEST_TTL_MS })) {
        return { ok: true, request: result.next, previous: current };
      }
      // Someone else moved it first: report what they made of it.
      const winner = parse(await store.get(key));
      return { ok: false, refusal: winner ? staleRefusal(winner) : 'notFound', ...(winner ? { request: winner } : {}) };
    },

    async addCard(id, openId, messageId) {
      await store.addToSet(keys.accrualEditCards(id), `${openId} ${messageId}`);
    },

    async cards(id) {
      const members = await store.setMembers(keys.accrualEditCards(id));
      return members.flatMap((m) => {
        const [openId, messageId] = m.split(' ');
        return openId && messageId ? [{ openId, messageId }] : [];
      });
    },

    async markNudged(id) {
      return store.setIfAbsent(keys.accrualEditNudged(id), '1', REQUEST_TTL_MS);
    },
  };
}
