/**
 * Parents' own accounts: a `users` row with role parent whose sign-in name is the phone number, and
 * its `parent_accounts` row. The phone is confirmed by an SMS code only where an SMS provider is
 * configured (`SmsSender`); the demo has none, and says so rather than pretending to send.
 */
import { createHash, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type AuditActor, writeAudit } from '../audit/audit-log.ts';
import {
  type AddressLimit,
  addressLimited,
  limitFromEnv,
  recordAddressAttempt,
} from '../auth/address-limit.ts';
import { createUser, setPassword, type UserRow } from '../auth/users.ts';
import { AppError } from '../domain/errors.ts';
import { nowIso } from '../domain/time.ts';
import type { Database } from '../store/schema.ts';

/** A provider that delivers a text message; a deployment plugs a real one in (none ships). */
export interface SmsSender {
  send(phone: string, text: string): Promise<void>;
}

/** No SMS provider is configured in this build: registration then skips the phone check, honestly marked. */
export const NO_SMS: SmsSender | null = null;

export const PHONE_PATTERN = /^1[3-9]\d{9}$/;
const CODE_MINUTES = 10;
const CODE_ATTEMPTS = 5;
const RESEND_SECONDS = 60;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Per-address limits of the public parent routes (src/auth/address-limit.ts, the sign-in limit's
 * store): every registration attempt and every code request counts, successful or not, so that a
 * script can neither mass-create accounts nor probe which numbers are registered. Configurable with
 * EDUATLAS_PARENT_REGISTRATIONS_PER_IP and EDUATLAS_SMS_CODES_PER_IP (per hour; default 10 each).
 */
export const PARENT_ROUTE_LIMITS = {
  registration: (): AddressLimit => ({
    max: limitFromEnv('EDUATLAS_PARENT_REGISTRATIONS_PER_IP', 10),
    windowMinutes: 60,
  }),
  smsCode: (): AddressLimit => ({ max: limitFromEnv('EDUATLAS_SMS_CODES_PER_IP', 10), windowMinutes: 60 }),
};

/** Counts the attempt from `ip` under `purpose`, or refuses it with 429 when the address used up its limit. */
async function spendAttempt(
  db: Kysely<Database>,
  purpose: 'parent_register' | 'sms_code',
  ip: string,
  limit: AddressLimit,
  now: Date,
): Promise<void> {
  const key = `${purpose}:${ip}`;
  if (await addressLimited(db, key, limit, now)) {
    const [zh, en] =
      purpose === 'parent_register' ? ['注册', 'registrations'] : ['验证码请求', 'code requests'];
    throw new AppError(
      `${purpose === 'parent_register' ? 'parent' : 'sms'}.rate_limited`,
      `同一网络地址的${zh}过于频繁（每 ${limit.windowMinutes} 分钟最多 ${limit.max} 次），请稍后再试`,
      `Too many ${en} from this address (at most ${limit.max} in ${limit.windowMinutes} minutes); try again later`,
      'phone',
    );
  }
  await recordAddressAttempt(db, key, now);
}

export function checkPhone(phone: string): void {
  if (!PHONE_PATTERN.test(phone))
    throw new AppError('parent.bad_phone', '请填写 11 位手机号', 'Enter an 11-digit mobile number', 'phone');
}

const smsNotConfigured = () =>
  new AppError(
    'sms.not_configured',
    '本系统未接入短信服务，无需短信验证码',
    'No SMS provider is configured: no verification code is needed',
    'phone',
  );

/** Sends a 6-digit code to the phone (one live code per phone, kept hashed for 10 minutes). */
export async function sendPhoneCode(
  db: Kysely<Database>,
  sms: SmsSender | null,
  phone: string,
  opts: { ip?: string; now?: Date } = {},
): Promise<void> {
  if (opts.ip)
    await spendAttempt(db, 'sms_code', opts.ip, PARENT_ROUTE_LIMITS.smsCode(), opts.now ?? new Date());
  checkPhone(phone);
  if (!sms) throw smsNotConfigured();
  const now = Date.now();
  const live = await db
    .selectFrom('phone_codes')
    .select('expires_at')
    .where('phone', '=', phone)
    .executeTakeFirst();
  // A code was sent less than a minute ago: each text costs money, and a flood would be abuse.
  if (live && Date.parse(live.expires_at) - CODE_MINUTES * 60_000 > now - RESEND_SECONDS * 1000)
    throw new AppError(
      'sms.too_soon',
      `验证码已发送，请 ${RESEND_SECONDS} 秒后再试`,
      `A code was just sent; try again in ${RESEND_SECONDS} seconds`,
      'phone',
    );
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expires = new Date(now + CODE_MINUTES * 60_000).toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('phone_codes').where('phone', '=', phone).execute();
    await trx
      .insertInto('phone_codes')
      .values({ phone, code_hash: sha256(code), expires_at: expires })
      .execute();
  });
  await sms.send(phone, `【EduAtlas】您的验证码为 ${code}，${CODE_MINUTES} 分钟内有效。`);
}

async function confirmPhoneCode(
  db: Kysely<Database>,
  phone: string,
  code: string | undefined,
): Promise<void> {
  const wrong = () =>
    new AppError('parent.bad_code', '验证码不正确或已过期', 'The code is wrong or expired', 'smsCode');
  const row = await db.selectFrom('phone_codes').selectAll().where('phone', '=', phone).executeTakeFirst();
  if (!row || !code || row.expires_at <= nowIso() || row.attempts >= CODE_ATTEMPTS) throw wrong();
  if (row.code_hash !== sha256(code)) {
    await db
      .updateTable('phone_codes')
      .set({ attempts: row.attempts + 1 })
      .where('phone', '=', phone)
      .execute();
    throw wrong();
  }
  await db.deleteFrom('phone_codes').where('phone', '=', phone).execute();
}

export interface ParentRegistration {
  phone: string;
  password: string;
  displayName?: string;
  smsCode?: string;
  demo?: boolean;
}

/**
 * Creates a parent's account; with an SMS provider the code must match first. `ip` is the caller's
 * address on the public route (limited per address); the demo and the store's callers pass none.
 */
export async function registerParent(
  db: Kysely<Database>,
  sms: SmsSender | null,
  input: ParentRegistration,
  opts: { ip?: string; now?: Date } = {},
): Promise<UserRow> {
  if (opts.ip)
    await spendAttempt(
      db,
      'parent_register',
      opts.ip,
      PARENT_ROUTE_LIMITS.registration(),
      opts.now ?? new Date(),
    );
  checkPhone(input.phone);
  if (sms) await confirmPhoneCode(db, input.phone, input.smsCode);
  const taken = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', input.phone)
    .executeTakeFirst();
  if (taken)
    throw new AppError(
      'parent.exists',
      '该手机号已注册，请直接登录',
      'This phone number is registered: sign in',
      'phone',
    );
  return db.transaction().execute(async (trx) => {
    const user = await createUser(trx, {
      username: input.phone,
      displayName: input.displayName?.trim() || `家长${input.phone.slice(-4)}`,
      password: input.password,
      role: 'parent',
      demo: input.demo,
    });
    await trx
      .insertInto('parent_accounts')
      .values({ user_id: user.id, phone: input.phone, phone_verified: sms ? 1 : 0, created_at: nowIso() })
      .execute();
    return user;
  });
}

/**
 * A clerk resets a family's password (the family lost it and no SMS provider can): a one-time
 * password the family must change at sign-in. County clerks reach only parents with an application
 * in their county (`countyOk`), others get "not found".
 */
export async function resetParentPassword(
  db: Kysely<Database>,
  actor: AuditActor,
  phone: string,
  countyOk: (countyCodes: string[]) => boolean,
): Promise<string> {
  checkPhone(phone);
  const account = await db
    .selectFrom('parent_accounts')
    .selectAll()
    .where('phone', '=', phone)
    .executeTakeFirst();
  const counties = account
    ? (
        await db
          .selectFrom('admission_applications')
          .select('county_code')
          .distinct()
          .where('parent_id', '=', account.user_id)
          .execute()
      ).map((r) => r.county_code)
    : [];
  if (!account || !countyOk(counties))
    throw new AppError(
      'parent.not_found',
      '找不到该手机号的家长账号',
      'No parent account for this phone',
      'phone',
    );
  // Letters and digits, never containing the phone (the password rules).
  const alphabet = 'abcdefghjkmnpqrstuvwxyz';
  const temporary = `${Array.from({ length: 6 }, () => alphabet[randomInt(alphabet.length)]).join('')}${randomInt(1000, 10000)}`;
  await setPassword(db, account.user_id, temporary, true);
  await writeAudit(db, actor, {
    action: 'admissions.parent_reset_password',
    resourceType: 'user',
    resourceId: account.user_id,
    countyCode: counties[0] ?? null,
  });
  return temporary;
}
