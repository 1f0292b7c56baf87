import type { FastifyRequest } from 'fastify';
import type { Action } from '../../auth/roles.ts';
import { countyOfCode } from '../../domain/regions/index.ts';
import type { Store } from '../../store/db.ts';
import { notFound } from '../errors.ts';
import { requireAccess } from '../session.ts';

/**
 * The region (city or county code) of a targets or report request, once the user may do each of
 * `actions` on it: unknown, or outside the user's scope, it is 404.
 */
export async function regionWithin(
  store: Store,
  req: FastifyRequest,
  code: string,
  actions: readonly Action[],
) {
  for (const action of actions) requireAccess(req, action);
  const region = await store.db
    .selectFrom('regions')
    .select(['code', 'name', 'level'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (!region) throw notFound('区划', 'region');
  for (const action of actions) requireAccess(req, action, { countyCode: countyOfCode(region.code) });
  return region;
}
