import { z } from 'zod';
import { leaveTypeCodeOf } from '../domain/leave-types.js';
import type { StoreKeys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import type { TenantLeaveType } from './router/types.js';

/** The leave-type cache written by the leave service (`keys.leaveTypes()`). */
const CachedLeaveTypes = z.array(
  z.object({ id: z.string(), names: z.array(z.object({ lang: z.string(), value: z.string() })) }),
);

/**
 * The tenant's own leave-type names for the router, from the cache the leave service
 * keeps: every name in every language, with the code that the type's names fit. The
 * parsed list is reused while the cache is unchanged (the router compiles it once per list).
 *
 * @example
 * const tenantLeaveTypes = createTenantLeaveTypes(store, keys)
 * routeIntent(text, { now, timeZone, leaveTypes: await tenantLeaveTypes() })
 */
export function createTenantLeaveTypes(store: Store, keys: StoreKeys): () => Promise<TenantLeaveType[]> {
  let lastRaw: string | null = null;
  let last: TenantLeaveType[] = [];
  return async function tenantLeaveTypes() {
    const raw = await store.get(keys.leaveTypes());
    if (raw === lastRaw) return last;
    lastRaw = raw;
    last = raw ? toTenantTypes(raw) : [];
    return last;
  };
}

function toTenantTypes(raw: string): TenantLeaveType[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return [];
  }
  const parsed = CachedLeaveTypes.safeParse(json);
  if (!parsed.success) return [];
  return parsed.data.flatMap((type) => {
    const names = type.names.map((n) => n.value).filter(Boolean);
    const code = leaveTypeCodeOf(names);
    return names.map((name) => (code ? { name, code } : { name }));
  });
}
