/** Calendar words of the domain: dates travel as `YYYY-MM-DD`, months as `YYYY-MM`, years as numbers. */

/**
 * Today's date in `timeZone`.
 *
 * @example
 * dateIn(new Date('2025-03-14T20:00:00Z'), 'Asia/Shanghai') // '2025-03-15'
 */
export function dateIn(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The current month (`YYYY-MM`) in `timeZone`. */
export function monthIn(now: Date, timeZone: string): string {
  return dateIn(now, timeZone).slice(0, 7);
}

/** The current year in `timeZone`. */
export function yearIn(now: Date, timeZone: string): number {
  return Number(dateIn(now, timeZone).slice(0, 4));
}

/**
 * Shifts a `YYYY-MM` month by `delta` months.
 *
 * @example
 * addMonths('2025-01', -1) // '2024-12'
 */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * The first and last day of a `YYYY-MM` month (inclusive).
 *
 * @example
 * monthRange('2024-02') // { start: '2024-02-01', end: '2024-02-29' }
 */
export function monthRange(month: string): { start: string; end: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { start: `${month}-01`, end: `${month}-${String(lastDay).padStart(2, '0')}` };
}

/** True when a `YYYY-MM-DD` string names a day that exists (no 2025-02-30). */
export function isRealDate(value: string): boolean {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
