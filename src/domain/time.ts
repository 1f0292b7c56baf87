/** Dates and deadlines are Asia/Shanghai time (UTC+8, no daylight saving); instants are stored in UTC. */

export const BUREAU_TIME_ZONE = 'Asia/Shanghai';

export function nowIso(): string {
  return new Date().toISOString();
}

/** Today's date (YYYY-MM-DD) in Asia/Shanghai. */
export function todayInShanghai(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The school year (named by the calendar year it starts in) that a date falls in: September starts it. */
export function schoolYearOf(date: string): number {
  const [y, m] = date.split('-').map(Number);
  return m >= 9 ? y : y - 1;
}
