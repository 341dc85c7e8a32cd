import { failureCode } from '../jobs/runner.js';
import type { FeishuApi } from '../feishu/types.js';
import type { Logger } from '../log.js';
import { fetchTimeZone } from '../providers/feishu/contact.js';
import { withTimeout } from '../timeout.js';

/** Which zone a time is shown in: the person's own (from Feishu contact), or the app's (`REMINDER_TIMEZONE`). */
export interface PersonZone {
  zone: string;
  /** True when the zone is the person's own; false when it is the app's (contact had none, or could not be asked). */
  own: boolean;
}

/** A looked-up zone is kept this long (not HR data; people rarely change it). */
export const PERSON_ZONE_TTL_MS = 15 * 60_000;
/** At most this many people's zones are kept in memory. */
const MAX_CACHED = 10_000;
/** A reply waits at most this long for contact before it falls back to the app's zone. */
export const PERSON_ZONE_WAIT_MS = 2_000;

/**
 * Looks up a person's time zone in Feishu contact (`GET /open-apis/contact/v3/users/:user_id`,
 * `user.time_zone`), cached briefly in this process. Any failure (no answer in time, a
 * missing scope, a zone this runtime does not know, none set) answers the app's zone with
 * `own: false`, so the caller can say which zone it shows.
 *
 * @example
 * const zoneOf = createPersonZones({ api: feishu.api, fallback: config.timeZone, logger })
 * await zoneOf('ou_1') // { zone: 'Europe/Berlin', own: true }
 */
export function createPersonZones(deps: {
  api: FeishuApi;
  fallback: string;
  logger: Logger;
  ttlMs?: number;
  waitMs?: number;
  now?: () => number;
}): (openId: string) => Promise<PersonZone> {
  const ttlMs = deps.ttlMs ?? PERSON_ZONE_TTL_MS;
  const waitMs = deps.waitMs ?? PERSON_ZONE_WAIT_MS;
  const now = deps.now ?? Date.now;
  const cache = new Map<string, { zone: string | undefined; until: number }>();
  const app: PersonZone = { zone: deps.fallback, own: false };

  const lookUp = (openId: string): Promise<string | undefined> =>
    withTimeout(fetchTimeZone(deps.api, openId, { maxWaitMs: waitMs }), waitMs, 'contact_timeout');

  return async (openId) => {
    const hit = cache.get(openId);
    if (hit && hit.until > now()) return hit.zone ? { zone: hit.zone, own: true } : app;
    try {
      const zone = await lookUp(openId);
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
      cache.set(openId, { zone, until: now() + ttlMs });
      return zone ? { zone, own: true } : app;
    } catch (err) {
      // Not cached: the next question asks again.
      deps.logger.warn({ code: err instanceof Error && err.message === 'contact_timeout' ? 'timeout' : failureCode(err) }, 'person time zone not known; showing the app time zone');
      return app;
    }
  };
}
