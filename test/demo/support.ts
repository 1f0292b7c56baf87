import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DEMO_TABLES } from '../../src/demo/tables.ts';
import type { Database } from '../../src/store/schema.ts';

/** SHA-256 over every demo table's rows, sorted in JS (text collation differs between dialects). */
export async function hashDemoTables(db: Kysely<Database>): Promise<string> {
  const h = createHash('sha256');
  for (const [table, cols] of Object.entries(DEMO_TABLES)) {
    const rows = await db
      .selectFrom(table as keyof Database)
      .select(cols.map((c) => c[0]) as never)
      .execute();
    const lines = rows.map((r) => JSON.stringify(cols.map((c) => (r as Record<string, unknown>)[c[0]])));
    lines.sort();
    h.update(`${table}\n`);
    for (const l of lines) h.update(`${l}\n`);
  }
  return h.digest('hex');
}

/** Census 2025 pupils etc. per school and grade, keyed "school:grade". */
export async function censusByKey(db: Kysely<Database>, year: number) {
  const rows = await db.selectFrom('census').selectAll().where('year', '=', year).execute();
  return new Map(rows.map((r) => [`${r.school_id}:${r.grade}`, r]));
}
