import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditActor } from '../audit/audit-log.ts';
import {
  type Action,
  authorize,
  type Principal,
  type ResourceScope,
  ROLE_ACTIONS,
  scopeOf,
} from '../auth/roles.ts';
import { resolveSession } from '../auth/sessions.ts';
import { principalOf, type UserRow } from '../auth/users.ts';
import { AppError } from '../domain/errors.ts';
import type { Store } from '../store/db.ts';
import { notFound } from './errors.ts';

export const SESSION_COOKIE = 'eduatlas_session';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    user: UserRow | null;
    csrfToken: string | null;
    sessionHash: string | null;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in (health, sign-in, demo accounts). */
    public?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the session cookie for every /api request, answers 401 when a protected route has none,
 * and checks the CSRF token (X-CSRF-Token header, compared with the session's) on every state change.
 */
export function registerSession(app: FastifyInstance, store: Store): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('user', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('sessionHash', null);
  app.addHook('preHandler', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const token = req.cookies[SESSION_COOKIE];
    const session = token ? await resolveSession(store.db, token) : null;
    if (session) {
      req.user = session.user;
      req.principal = principalOf(session.user);
      req.csrfToken = session.csrfToken;
      req.sessionHash = session.tokenHash;
    }
    // The API documentation (Swagger UI's own routes) is public, like the OpenAPI document.
    if (req.routeOptions.config.public || req.url.startsWith('/api/docs')) return;
    if (!session) throw new AppError('auth.required', '请先登录', 'Please sign in first');
    if (!SAFE_METHODS.has(req.method) && req.headers['x-csrf-token'] !== session.csrfToken) {
      throw new AppError(
        'auth.csrf',
        '页面已过期，请刷新后重试',
        'The page has expired (CSRF check failed); reload and try again',
        'X-CSRF-Token',
      );
    }
  });
}

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string | null): void {
  const secure = req.protocol === 'https';
  if (token === null)
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  else reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

export function principal(req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError('auth.required', '请先登录', 'Please sign in first');
  return req.principal;
}

const forbidden = () =>
  new AppError('auth.forbidden', '没有权限执行此操作', 'You are not allowed to do this');

/**
 * The route-side face of `authorize`: a role without the action gets 403; a record outside the
 * user's scope gets 404, so its existence is not revealed.
 */
export function requireAccess(req: FastifyRequest, action: Action, resource?: ResourceScope): Principal {
  const user = principal(req);
  if (!ROLE_ACTIONS[user.role].includes(action)) throw forbidden();
  if (!authorize(user, action, resource)) {
    if (resource) throw notFound();
    throw forbidden();
  }
  return user;
}

/**
 * The user's scope as the county filter of the saved lists (forecast runs, planning scenarios,
 * admission rounds). Fails closed: a city role without a region sees everything ({}), a city role
 * its city or province (the prefix), county staff their county; any other scope — a school's staff,
 * a parent, county staff without a county — is refused as `requireAccess` refuses a list (403), so a
 * route that let such a user through would still list nothing.
 */
export function countyFilterOf(user: Principal): { county?: string; countyPrefix?: string } {
  const scope = scopeOf(user);
  switch (scope.kind) {
    case 'all':
      return {};
    case 'county_prefix':
      return { countyPrefix: scope.prefix };
    case 'county':
      return { county: scope.countyCode };
    case 'school':
    case 'none':
      throw forbidden();
  }
}

export function actorOf(req: FastifyRequest): AuditActor {
  return {
    userId: req.user?.id ?? null,
    username: req.user?.username ?? null,
    role: req.user?.role ?? null,
    ip: req.ip,
  };
}
