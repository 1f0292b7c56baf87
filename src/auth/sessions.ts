import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError } from '../domain/errors.ts';
import type { Database } from '../store/schema.ts';
import { addressLimited, recordAddressAttempt } from './address-limit.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { UserRow } from './users.ts';

/** Sign-in policy. Kept in one place so a deployment can see (and later configure) it. */
export const SIGN_IN_POLICY = {
  /** Consecutive wrong passwords before the account is locked. */
  maxFailures: 5,
  lockMinutes: 15,
  /** Failed attempts from one address within the window before it must wait. */
  maxFailuresPerIp: 20,
  ipWindowMinutes: 15,
  /** A session ends after this long without use, and in any case after maxHours. */
  idleHours: 12,
  maxHours: 24 * 7,
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hoursLater = (now: Date, h: number) => new Date(now.getTime() + h * 3600_000).toISOString();

// Verifying against a real hash when the user does not exist keeps the answer time the same.
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
};

export interface SignedIn {
  token: string;
  csrfToken: string;
  user: UserRow;
}

const invalid = () =>
  new AppError('auth.invalid', '登录名或密码不正确', 'The sign-in name or password is wrong', 'password');

export async function signIn(
  db: Kysely<Database>,
  username: string,
  password: string,
  ip: string,
  now = new Date(),
): Promise<SignedIn> {
  const perIp = { max: SIGN_IN_POLICY.maxFailuresPerIp, windowMinutes: SIGN_IN_POLICY.ipWindowMinutes };
  if (await addressLimited(db, ip, perIp, now)) {
    throw new AppError(
      'auth.rate_limited',
      `登录失败次数过多，请 ${SIGN_IN_POLICY.ipWindowMinutes} 分钟后再试`,
      `Too many failed sign-ins; try again in ${SIGN_IN_POLICY.ipWindowMinutes} minutes`,
    );
  }
  const recordFailure = () => recordAddressAttempt(db, ip, now);

  const user = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  if (!user?.active) {
    await verifyPassword(await getDummyHash(), password);
    await recordFailure();
    throw invalid();
  }
  if (user.locked_until && user.locked_until > now.toISOString()) {
    throw new AppError(
      'auth.locked',
      `账号因多次密码错误已临时锁定，请 ${SIGN_IN_POLICY.lockMinutes} 分钟后再试或联系管理员`,
      `The account is locked after repeated wrong passwords; try again in ${SIGN_IN_POLICY.lockMinutes} minutes or ask an administrator`,
    );
  }
  if (!(await verifyPassword(user.password_hash, password))) {
    const failures = user.failed_logins + 1;
    const lock = failures >= SIGN_IN_POLICY.maxFailures;
    await db
      .updateTable('users')
      .set({
        failed_logins: lock ? 0 : failures,
        locked_until: lock
          ? new Date(now.getTime() + SIGN_IN_POLICY.lockMinutes * 60_000).toISOString()
          : user.locked_until,
      })
      .where('id', '=', user.id)
      .execute();
    await recordFailure();
    throw invalid();
  }
  if (user.failed_logins > 0 || user.locked_until) {
    await db
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', user.id)
      .execute();
  }
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db
    .insertInto('sessions')
    .values({
      token_hash: sha256(token),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: hoursLater(now, SIGN_IN_POLICY.idleHours),
      last_seen_at: now.toISOString(),
      ip,
    })
    .execute();
  return { token, csrfToken, user };
}

export interface ActiveSession {
  user: UserRow;
  csrfToken: string;
  tokenHash: string;
}

/**
 * Sessions this process has looked up in the last few seconds. Every request needs its session, so
 * this saves a database round trip on most of them. Signing out, a password change or deactivation
 * clears the entries at once in this process; other processes notice within SESSION_CACHE_MS.
 */
export const SESSION_CACHE_MS = 5000;
const cachedSessions = new Map<string, { at: number; session: ActiveSession; expiresAt: string }>();

/** Drops the cached sessions of a user (after their sessions were deleted). */
export function forgetUserSessions(userId: number): void {
  for (const [hash, e] of cachedSessions) if (e.session.user.id === userId) cachedSessions.delete(hash);
}

/** The session a cookie token opens, or null. Use slides the idle expiry, up to the absolute limit. */
export async function resolveSession(
  db: Kysely<Database>,
  token: string,
  now = new Date(),
): Promise<ActiveSession | null> {
  const tokenHash = sha256(token);
  const hit = cachedSessions.get(tokenHash);
  if (hit && now.getTime() - hit.at < SESSION_CACHE_MS && hit.expiresAt > now.toISOString())
    return hit.session;
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select([
      'sessions.csrf_token',
      'sessions.expires_at',
      'sessions.created_at as session_created',
      'sessions.last_seen_at',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row || row.expires_at <= now.toISOString() || !row.active) return null;
  if (now.getTime() - Date.parse(row.last_seen_at) > 60_000) {
    const cap = hoursLater(new Date(row.session_created), SIGN_IN_POLICY.maxHours);
    const next = hoursLater(now, SIGN_IN_POLICY.idleHours);
    await db
      .updateTable('sessions')
      // biome-ignore lint/complexity/useMathMinMax: ISO timestamps compared as strings, not numbers
      .set({ last_seen_at: now.toISOString(), expires_at: next < cap ? next : cap })
      .where('token_hash', '=', tokenHash)
      .execute();
  }
  const { csrf_token, expires_at, session_created: _c, last_seen_at: _l, ...user } = row;
  const session = { user, csrfToken: csrf_token, tokenHash };
  if (cachedSessions.size >= 10_000) cachedSessions.clear();
  cachedSessions.set(tokenHash, { at: now.getTime(), session, expiresAt: expires_at });
  return session;
}

export async function signOut(db: Kysely<Database>, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  cachedSessions.delete(tokenHash);
}

/** Ends every session of the user, on every device. */
export async function signOutEverywhere(db: Kysely<Database>, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  forgetUserSessions(userId);
}
