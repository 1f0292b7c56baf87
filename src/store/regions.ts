import type { Kysely, Transaction } from 'kysely';
import { HENAN_REGIONS, type Region } from '../domain/regions/index.ts';
import { upsertRows } from './bulk.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Loads Henan's GB/T 2260 table (idempotent); parents come before children in the table. */
export async function seedRegions(db: Db): Promise<void> {
  await upsertRows(db, 'regions', HENAN_REGIONS as unknown as Region[] as never, ['code']);
}

export async function listRegions(db: Db, parentCode?: string): Promise<Region[]> {
  return db
    .selectFrom('regions')
    .selectAll()
    .$if(parentCode !== undefined, (q) => q.where('parent_code', '=', parentCode!))
    .orderBy('code')
    .execute();
}

export async function findRegion(db: Db, code: string): Promise<Region | undefined> {
  return db.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Counties (level county) under a city, province or the county itself. */
export async function countiesUnder(db: Db, code: string): Promise<Region[]> {
  return db
    .selectFrom('regions')
    .selectAll()
    .where('level', '=', 'county')
    .where((eb) =>
      eb.or([
        eb('code', '=', code),
        eb('parent_code', '=', code),
        eb(
          'parent_code',
          'in',
          eb.selectFrom('regions as p').select('p.code').where('p.parent_code', '=', code),
        ),
      ]),
    )
    .orderBy('code')
    .execute();
}

/** Names of the given region codes (code → name); unknown codes are absent. */
export async function regionNames(db: Db, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db.selectFrom('regions').select(['code', 'name']).where('code', 'in', codes).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}
