/**
 * Attempts per source address within a window, for the rate limits of the public routes: failed
 * sign-ins (src/auth/sessions.ts), parent registrations and SMS codes (src/admissions/parents.ts).
 * Kept in the database (table login_failures: one row per attempt), so every server process sharing
 * it counts the same attempts. Each limit has its own key: sign-in failures are stored under the bare
 * address, as they always were; other purposes prefix it (`parent_register:203.0.113.7`).
 * The address is `req.ip`, which honours TRUST_PROXY (X-Forwarded-For) exactly like the sign-in limit.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

export interface AddressLimit {
  /** Attempts allowed from one address within the window. */
  max: number;
  windowMinutes: number;
}

const minutesAgo = (now: Date, m: number) => new Date(now.getTime() - m * 60_000).toISOString();

/** Attempts older than this are deleted whenever one is recorded (every window is shorter). */
const KEEP_HOURS = 24;

/** Whether the key has used up its attempts in the window. */
export async function addressLimited(
  db: Kysely<Database>,
  key: string,
  limit: AddressLimit,
  now = new Date(),
): Promise<boolean> {
  const recent = await db
    .selectFrom('login_failures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ip', '=', key)
    .where('at', '>', minutesAgo(now, limit.windowMinutes))
    .executeTakeFirstOrThrow();
  return Number(recent.n) >= limit.max;
}

/** Counts one attempt for the key (and drops the attempts of every key older than a day). */
export async function recordAddressAttempt(
  db: Kysely<Database>,
  key: string,
  now = new Date(),
): Promise<void> {
  await db
    .deleteFrom('login_failures')
    .where('at', '<', minutesAgo(now, KEEP_HOURS * 60))
    .execute();
  await db.insertInto('login_failures').values({ ip: key, at: now.toISOString() }).execute();
}

/** A limit from an environment variable (a positive integer), or the default. */
export function limitFromEnv(name: string, def: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : def;
}
