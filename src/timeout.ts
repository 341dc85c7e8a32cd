/**
 * Rejects with `new Error(message)` if `promise` has not settled within `ms`; the timer is
 * cleared either way and never keeps the process alive.
 *
 * @example
 * await withTimeout(redis.ping(), 500, 'redis_timeout')
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
