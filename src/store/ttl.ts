/**
 * Normalises a TTL to the whole, positive milliseconds Redis `PX` accepts, so both
 * stores reject the same inputs.
 *
 * @example
 * toTtlMs(1500.2) // 1501
 * toTtlMs(0)      // throws RangeError
 */
export function toTtlMs(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
  }
  return Math.ceil(ttlMs);
}
