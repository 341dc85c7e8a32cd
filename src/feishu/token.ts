import { randomUUID } from 'node:crypto';
import type { StoreKeys } from '../store/keys.js';
import type { Store } from '../store/types.js';

/** The app's `tenant_access_token`, shared by every instance through the store. */
export interface TokenProvider {
  /** The current token; fetches one (one instance at a time) when none is cached. */
  get(): Promise<string>;
  /**
   * Drops the cached token if it is still `failed` (another instance may already have
   * replaced it, and that newer one must survive).
   */
  invalidate(failed: string): Promise<void>;
}

/** A freshly issued token and its lifetime in seconds, as the token endpoint answers. */
export interface IssuedToken {
  token: string;
  expireSeconds: number;
}

/** Refresh this long before Feishu's expiry (the SDK uses the same margin). */
const EXPIRY_MARGIN_MS = 3 * 60_000;
/** Longer than a token fetch with its retries may take, so a crashed holder frees it. */
const LOCK_TTL_MS = 20_000;
/** How long a caller waits for another instance's fetch before giving up. */
const WAIT_FOR_OTHERS_MS = 30_000;
const POLL_MS = 50;
/**
 * A token read from the store is reused in this process for this long without asking the
 * store again (one Redis command less per Feishu call). The store hands out a token only
 * while it has at least EXPIRY_MARGIN_MS of Feishu's lifetime left, so a reused one still
 * has minutes to go; one Feishu rejects is dropped here too (`invalidate`).
 */
export const LOCAL_REUSE_MS = 30_000;

/**
 * Store-backed token provider. The token is cached under `keys.tenantToken()` with a
 * TTL of `expire·1000 − 3 min`; when it is missing, only the instance holding
 * `keys.tenantTokenLock()` (SET NX PX) fetches, the others poll the cache briefly.
 * Within one process concurrent callers share a single in-flight lookup, and a token is
 * reused for LOCAL_REUSE_MS before the store is asked again.
 *
 * @example
 * const tokens = createTokenProvider({ store, keys: storeKeys(appId), fetchToken, sleep })
 * const token = await tokens.get()
 */
export function createTokenProvider(deps: {
  store: Store;
  keys: StoreKeys;
  fetchToken: () => Promise<IssuedToken>;
  sleep: (ms: number) => Promise<void>;
  /** Monotonic clock (ms) of the local reuse; tests inject one. */
  now?: () => number;
}): TokenProvider {
  const { store, keys, fetchToken, sleep } = deps;
  const now = deps.now ?? (() => performance.now());
  let inflight: Promise<string> | undefined;
  let local: { token: string; until: number } | undefined;
  /** Tokens fetched too close to their expiry to be shared: never reused. */
  const usedOnce = new Set<string>();

  async function fetchUnderLock(lockId: string): Promise<string> {
    try {
      // Another instance may have stored one between our read and our lock.
      const cached = await store.get(keys.tenantToken());
      if (cached) return cached;
      const issued = await fetchToken();
      const ttlMs = issued.expireSeconds * 1000 - EXPIRY_MARGIN_MS;
      // A token this close to expiry is used once but not shared (nor reused here).
      if (ttlMs > 1000) await store.set(keys.tenantToken(), issued.token, { ttlMs });
      else usedOnce.add(issued.token);
      return issued.token;
    } finally {
      await store.delIfEquals(keys.tenantTokenLock(), lockId);
    }
  }

  async function lookup(): Promise<string> {
    const lockId = randomUUID();
    const deadline = Date.now() + WAIT_FOR_OTHERS_MS;
    for (;;) {
      const cached = await store.get(keys.tenantToken());
      if (cached) return cached;
      if (await store.setIfAbsent(keys.tenantTokenLock(), lockId, LOCK_TTL_MS)) return fetchUnderLock(lockId);
      if (Date.now() >= deadline) throw new Error('timed out waiting for another instance to fetch the tenant token');
      await sleep(POLL_MS);
    }
  }

  return {
    get() {
      if (local && now() < local.until) return Promise.resolve(local.token);
      inflight ??= lookup()
        .then((token) => {
          if (!usedOnce.delete(token)) local = { token, until: now() + LOCAL_REUSE_MS };
          return token;
        })
        .finally(() => {
          inflight = undefined;
        });
      return inflight;
    },
    async invalidate(failed) {
      if (local?.token === failed) local = undefined;
      await store.delIfEquals(keys.tenantToken(), failed);
    },
  };
}
