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

/** A wall-clock time in Asia/Shanghai ('2026-07-20T18:00', or a bare date for its midnight) as a UTC ISO instant. */
export function shanghaiInstant(local: string): string {
  const full = local.length === 10 ? `${local}T00:00` : local;
  return new Date(`${full}:00+08:00`).toISOString();
}

/** A UTC instant shown as Asia/Shanghai wall-clock time: '2026-07-20 18:00'. */
export function formatShanghai(instant: string): string {
  return new Date(Date.parse(instant) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}
