import type { Kysely, Selectable } from 'kysely';
import { AppError } from '../domain/errors.ts';
import { levelOfCode } from '../domain/regions/index.ts';
import { nowIso } from '../domain/time.ts';
import type { Database, UsersTable } from '../store/schema.ts';
import { checkPasswordRules, hashPassword } from './passwords.ts';
import { type Principal, ROLES, type Role } from './roles.ts';
import { forgetUserSessions } from './sessions.ts';

export type UserRow = Selectable<UsersTable>;

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  regionCode?: string | null;
  schoolCode?: string | null;
  mustChangePassword?: boolean;
  demo?: boolean;
}

export function principalOf(u: UserRow): Principal {
  return {
    id: u.id,
    username: u.username,
    role: u.role as Role,
    regionCode: u.region_code,
    schoolId: u.school_id,
  };
}

/** Checks that the role's scope is given and exists: a region for city and county roles, a school for school staff. */
async function resolveScope(
  db: Kysely<Database>,
  u: NewUser,
): Promise<{ region_code: string | null; school_id: number | null }> {
  if (!ROLES.includes(u.role)) {
    throw new AppError('user.bad_role', `未知角色 ${u.role}`, `Unknown role ${u.role}`, 'role');
  }
  if (u.role === 'school_staff') {
    const school = u.schoolCode
      ? await db.selectFrom('schools').select(['id']).where('code', '=', u.schoolCode).executeTakeFirst()
      : undefined;
    if (!school)
      throw new AppError(
        'user.school_required',
        '学校账号须指定存在的学校代码',
        'School staff need an existing school code',
        'school',
      );
    return { region_code: null, school_id: school.id };
  }
  if (u.role === 'parent') return { region_code: null, school_id: null };
  const code = u.regionCode ?? null;
  const level = code ? levelOfCode(code) : null;
  const wanted = u.role === 'county_staff' ? ['county'] : ['province', 'city'];
  const exists = code
    ? await db.selectFrom('regions').select('code').where('code', '=', code).executeTakeFirst()
    : undefined;
  if (!exists || !level || !wanted.includes(level)) {
    throw new AppError(
      'user.region_required',
      u.role === 'county_staff'
        ? '县区账号须指定存在的县级区划代码'
        : '市级账号须指定存在的市级（或省级）区划代码',
      u.role === 'county_staff'
        ? 'County staff need an existing county code'
        : 'City roles need an existing city (or province) code',
      'region',
    );
  }
  return { region_code: code, school_id: null };
}

export async function createUser(db: Kysely<Database>, u: NewUser): Promise<UserRow> {
  if (!/^[A-Za-z0-9_.-]{3,32}$/.test(u.username)) {
    throw new AppError(
      'user.bad_username',
      '登录名为 3–32 位字母、数字或 _ . -',
      'The sign-in name must be 3–32 letters, digits or _ . -',
      'username',
    );
  }
  checkPasswordRules(u.password, u.username);
  const scope = await resolveScope(db, u);
  const taken = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', u.username)
    .executeTakeFirst();
  if (taken)
    throw new AppError(
      'user.exists',
      `登录名 ${u.username} 已存在`,
      `The sign-in name ${u.username} is taken`,
      'username',
    );
  const now = nowIso();
  return db
    .insertInto('users')
    .values({
      username: u.username,
      display_name: u.displayName,
      password_hash: await hashPassword(u.password),
      role: u.role,
      ...scope,
      must_change_password: u.mustChangePassword ? 1 : 0,
      demo: u.demo ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Sets a new password, clears any lock, and ends every session of the user. */
export async function setPassword(
  db: Kysely<Database>,
  userId: number,
  password: string,
  mustChange: boolean,
): Promise<void> {
  const user = await db.selectFrom('users').select('username').where('id', '=', userId).executeTakeFirst();
  if (!user) throw new AppError('user.not_found', '用户不存在', 'No such user', 'id');
  checkPasswordRules(password, user.username);
  const hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({
        password_hash: hash,
        must_change_password: mustChange ? 1 : 0,
        failed_logins: 0,
        locked_until: null,
        updated_at: nowIso(),
      })
      .where('id', '=', userId)
      .execute();
    await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
  });
  forgetUserSessions(userId);
}

export async function findUserByName(db: Kysely<Database>, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

/** A user with the names of the region and school the role is scoped to, for lists. */
export type UserWithScope = UserRow & {
  region_name: string | null;
  school_code: string | null;
  school_name: string | null;
};

function usersWithScope(db: Kysely<Database>) {
  return db
    .selectFrom('users')
    .leftJoin('regions', 'regions.code', 'users.region_code')
    .leftJoin('schools', 'schools.id', 'users.school_id')
    .selectAll('users')
    .select(['regions.name as region_name', 'schools.code as school_code', 'schools.name as school_name']);
}

export async function listUsers(db: Kysely<Database>): Promise<UserWithScope[]> {
  return usersWithScope(db).orderBy('users.username').execute();
}

export async function findUserWithScope(
  db: Kysely<Database>,
  id: number,
): Promise<UserWithScope | undefined> {
  return usersWithScope(db).where('users.id', '=', id).executeTakeFirst();
}
