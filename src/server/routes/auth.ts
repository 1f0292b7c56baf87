import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../../audit/audit-log.ts';
import { DEMO_PASSWORD, listDemoAccounts } from '../../auth/demo-users.ts';
import { verifyPassword } from '../../auth/passwords.ts';
import { allowedActions, ROLE_LABELS, type Role } from '../../auth/roles.ts';
import { signIn, signOut, signOutEverywhere } from '../../auth/sessions.ts';
import { principalOf, setPassword, type UserRow } from '../../auth/users.ts';
import { AppError } from '../../domain/errors.ts';
import type { Store } from '../../store/db.ts';
import { getDemoInfo } from '../../store/settings.ts';
import { ChangePasswordBody, DemoAccounts, LoginBody, Me } from '../contracts.ts';
import { actorOf, principal, setSessionCookie } from '../session.ts';

async function presentMe(store: Store, user: UserRow, csrfToken: string): Promise<Me> {
  const region = user.region_code
    ? await store.db
        .selectFrom('regions')
        .select('name')
        .where('code', '=', user.region_code)
        .executeTakeFirst()
    : undefined;
  const school = user.school_id
    ? await store.db.selectFrom('schools').select('name').where('id', '=', user.school_id).executeTakeFirst()
    : undefined;
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    role: user.role,
    roleLabel: ROLE_LABELS[user.role as Role],
    regionCode: user.region_code,
    regionName: region?.name ?? null,
    schoolId: user.school_id,
    schoolName: school?.name ?? null,
    mustChangePassword: user.must_change_password === 1,
    actions: allowedActions(principalOf(user)),
    csrfToken,
    demo: (await getDemoInfo(store.db)) !== null,
  };
}

export const authRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/auth/demo-accounts',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: '演示账号（仅演示库）/ demo accounts (demo database only)',
          response: { 200: DemoAccounts },
        },
      },
      async () => {
        if (!(await getDemoInfo(store.db))) return { demo: false, password: null, accounts: [] };
        return { demo: true, password: DEMO_PASSWORD, accounts: await listDemoAccounts(store.db) };
      },
    );

    app.post(
      '/api/auth/login',
      {
        config: { public: true },
        schema: { tags: ['auth'], summary: '登录 / sign in', body: LoginBody, response: { 200: Me } },
      },
      async (req, reply) => {
        try {
          const s = await signIn(store.db, req.body.username, req.body.password, req.ip);
          setSessionCookie(req, reply, s.token);
          await writeAudit(
            store.db,
            { userId: s.user.id, username: s.user.username, role: s.user.role, ip: req.ip },
            { action: 'auth.sign_in', resourceType: 'user', resourceId: s.user.id },
          );
          return presentMe(store, s.user, s.csrfToken);
        } catch (e) {
          if (e instanceof AppError) {
            await writeAudit(
              store.db,
              { userId: null, username: req.body.username.slice(0, 64), role: null, ip: req.ip },
              { action: 'auth.sign_in_failed', resourceType: 'user', context: { code: e.code } },
            );
          }
          throw e;
        }
      },
    );

    app.get(
      '/api/auth/me',
      { schema: { tags: ['auth'], summary: '当前用户 / the signed-in user', response: { 200: Me } } },
      async (req) => presentMe(store, req.user!, req.csrfToken!),
    );

    app.post(
      '/api/auth/logout',
      { schema: { tags: ['auth'], summary: '退出登录 / sign out', response: { 204: z.null() } } },
      async (req, reply) => {
        await signOut(store.db, req.sessionHash!);
        await writeAudit(store.db, actorOf(req), {
          action: 'auth.sign_out',
          resourceType: 'user',
          resourceId: req.user!.id,
        });
        setSessionCookie(req, reply, null);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/auth/logout-all',
      {
        schema: {
          tags: ['auth'],
          summary: '在所有设备上退出 / sign out everywhere',
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        await signOutEverywhere(store.db, principal(req).id);
        await writeAudit(store.db, actorOf(req), {
          action: 'auth.sign_out_everywhere',
          resourceType: 'user',
          resourceId: req.user!.id,
        });
        setSessionCookie(req, reply, null);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/auth/password',
      {
        schema: {
          tags: ['auth'],
          summary: '修改本人密码 / change my password',
          body: ChangePasswordBody,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const user = req.user!;
        if (!(await verifyPassword(user.password_hash, req.body.currentPassword))) {
          throw new AppError(
            'auth.wrong_password',
            '当前密码不正确',
            'The current password is wrong',
            'currentPassword',
          );
        }
        await setPassword(store.db, user.id, req.body.newPassword, false);
        await writeAudit(store.db, actorOf(req), {
          action: 'user.change_password',
          resourceType: 'user',
          resourceId: user.id,
        });
        setSessionCookie(req, reply, null);
        return reply.status(204).send(null);
      },
    );
  };
