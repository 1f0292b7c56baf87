import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, TableName } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Row = Record<string, unknown>;

// SQLite allows 32,766 bound parameters per statement, PostgreSQL 65,535; stay under both.
const MAX_PARAMS = 30_000;

function chunkSize(rows: Row[]): number {
  const cols = Math.max(1, Object.keys(rows[0] ?? {}).length);
  return Math.max(1, Math.floor(MAX_PARAMS / cols));
}

/** Inserts many rows in multi-row statements sized to the dialects' parameter limits. */
export async function insertRows(db: Db, table: TableName, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const size = chunkSize(rows);
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
  }
}

/**
 * Inserts rows, updating the existing row where the natural key already exists (ON CONFLICT … DO
 * UPDATE, the same on SQLite and PostgreSQL). Re-running with the same rows changes nothing.
 */
export async function upsertRows(
  db: Db,
  table: TableName,
  rows: Row[],
  key: readonly string[],
): Promise<void> {
  if (rows.length === 0) return;
  const update = Object.keys(rows[0]).filter((c) => !key.includes(c));
  const size = chunkSize(rows);
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .onConflict((oc) => {
        const target = oc.columns(key as never);
        if (update.length === 0) return target.doNothing();
        return target.doUpdateSet(
          Object.fromEntries(update.map((c) => [c, sql.ref(`excluded.${c}`)])) as never,
        );
      })
      .execute();
  }
}

/** Row count of a table (for reports and tests). */
export async function countRows(db: Db, table: TableName): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
