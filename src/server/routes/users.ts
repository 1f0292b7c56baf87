import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../../audit/audit-log.ts';
import type { Role } from '../../auth/roles.ts';
import { signOutEverywhere } from '../../auth/sessions.ts';
import {
  createUser,
  findUserWithScope,
  listUsers,
  setPassword,
  type UserWithScope,
} from '../../auth/users.ts';
import { nowIso } from '../../domain/time.ts';
import type { Store } from '../../store/db.ts';
import { CreateUserBody, ResetPasswordBody, UpdateUserBody, UserView } from '../contracts.ts';
import { notFound } from '../errors.ts';
import { actorOf, requireAccess } from '../session.ts';

export function presentUser(u: UserWithScope): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    regionCode: u.region_code,
    regionName: u.region_name,
    schoolId: u.school_id,
    schoolCode: u.school_code,
    schoolName: u.school_name,
    active: u.active === 1,
    locked: u.locked_until !== null && u.locked_until > nowIso(),
    createdAt: u.created_at,
  };
}

const IdParams = z.object({ id: z.coerce.number().int().positive() });

export const userRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    const findUser = async (id: number) => {
      const u = await findUserWithScope(store.db, id);
      if (!u) throw notFound('用户', 'user');
      return u;
    };

    app.get(
      '/api/users',
      { schema: { tags: ['users'], summary: '用户列表 / users', response: { 200: z.array(UserView) } } },
      async (req) => {
        requireAccess(req, 'user.manage');
        return (await listUsers(store.db)).map(presentUser);
      },
    );

    app.post(
      '/api/users',
      {
        schema: {
          tags: ['users'],
          summary: '新建用户 / create a user',
          body: CreateUserBody,
          response: { 200: UserView },
        },
      },
      async (req) => {
        requireAccess(req, 'user.manage');
        const created = await createUser(store.db, {
          ...req.body,
          role: req.body.role as Role,
          mustChangePassword: true,
        });
        const u = await findUser(created.id);
        await writeAudit(store.db, actorOf(req), {
          action: 'user.create',
          resourceType: 'user',
          resourceId: u.id,
          after: presentUser(u),
        });
        return presentUser(u);
      },
    );

    app.post(
      '/api/users/:id/password',
      {
        schema: {
          tags: ['users'],
          summary: '重置密码 / reset a password',
          params: IdParams,
          body: ResetPasswordBody,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        requireAccess(req, 'user.manage');
        const u = await findUser(req.params.id);
        await setPassword(store.db, u.id, req.body.password, true);
        await writeAudit(store.db, actorOf(req), {
          action: 'user.reset_password',
          resourceType: 'user',
          resourceId: u.id,
        });
        return reply.status(204).send(null);
      },
    );

    app.patch(
      '/api/users/:id',
      {
        schema: {
          tags: ['users'],
          summary: '启用或停用 / activate or deactivate',
          params: IdParams,
          body: UpdateUserBody,
          response: { 200: UserView },
        },
      },
      async (req) => {
        requireAccess(req, 'user.manage');
        const before = await findUser(req.params.id);
        await store.db
          .updateTable('users')
          .set({ active: req.body.active ? 1 : 0, updated_at: nowIso() })
          .where('id', '=', before.id)
          .execute();
        if (!req.body.active) await signOutEverywhere(store.db, before.id);
        const after = await findUser(before.id);
        await writeAudit(store.db, actorOf(req), {
          action: 'user.update',
          resourceType: 'user',
          resourceId: before.id,
          before: presentUser(before),
          after: presentUser(after),
        });
        return presentUser(after);
      },
    );
  };
