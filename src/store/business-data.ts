import { type Kysely, sql } from 'kysely';
import { BUSINESS_TABLES_CHILDREN_FIRST, type Database } from './schema.ts';

/** True when any business table holds a row (regions alone do not count): the demo city then refuses. */
export async function hasBusinessData(db: Kysely<Database>): Promise<boolean> {
  for (const table of BUSINESS_TABLES_CHILDREN_FIRST) {
    if (await db.selectFrom(table).select(sql.lit(1).as('x')).limit(1).executeTakeFirst()) return true;
  }
  return false;
}
