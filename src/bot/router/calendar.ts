/**
 * Calendar arithmetic in the asker's time zone. Relative words ("last month",
 * "年底") must resolve against the asker's date, not the server's.
 */

/** A calendar date; `month` is 1-12. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
let lastKey = '';
let lastDate: CalendarDate = { year: 1970, month: 1, day: 1 };

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The date `now` falls on in `timeZone`.
 *
 * @example localDate(new Date('2024-12-31T20:00:00Z'), 'Asia/Shanghai') // → { year: 2025, month: 1, day: 1 }
 */
export function localDate(now: Date, timeZone: string): CalendarDate {
  // Routing a batch uses one `now`; Intl formatting is the slowest step, so remember the last answer.
  const key = `${now.getTime()}|${timeZone}`;
  if (key === lastKey) return lastDate;
  let year = 1970;
  let month = 1;
  let day = 1;
  for (const part of formatter(timeZone).formatToParts(now)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
  }
  lastKey = key;
  lastDate = { year, month, day };
  return lastDate;
}

/** @example daysInMonth(2024, 2) // → 29 */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** @example shiftMonth(2025, 1, -1) // → { year: 2024, month: 12 } */
export function shiftMonth(year: number, month: number, delta: number): { year: number; month: number } {
  const index = year * 12 + (month - 1) + delta;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** @example addDays({ year: 2025, month: 3, day: 15 }, 6) // → { year: 2025, month: 3, day: 21 } */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * The same day `months` later, or the month's last day where it is shorter.
 *
 * @example addMonths({ year: 2025, month: 1, day: 31 }, 1) // → { year: 2025, month: 2, day: 28 }
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const { year, month } = shiftMonth(date.year, date.month, months);
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/** ISO weekday, Monday 1 … Sunday 7. @example isoWeekday({ year: 2025, month: 3, day: 15 }) // → 6 */
export function isoWeekday(date: CalendarDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() || 7;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** @example formatMonth(2025, 1) // → '2025-01' */
export function formatMonth(year: number, month: number): string {
  return `${year}-${pad(month)}`;
}

/** @example formatDate(2025, 6, 30) // → '2025-06-30' */
export function formatDate(year: number, month: number, day: number): string {
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** True when the numbers name a real calendar day. */
export function isValidDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * The instant of local noon on `date` in `timeZone`; noon keeps a date stable
 * across DST shifts.
 *
 * @example noonIn('2025-03-15', 'Asia/Shanghai').toISOString() // → '2025-03-15T04:00:00.000Z'
 */
export function noonIn(date: string, timeZone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`expected YYYY-MM-DD, got "${date}"`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isValidDate(y, mo, d)) throw new Error(`not a calendar date: "${date}"`);
  const guess = Date.UTC(y, mo - 1, d, 12);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
  }).formatToParts(new Date(guess));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const shownAsUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return new Date(guess - (shownAsUtc - guess));
}
