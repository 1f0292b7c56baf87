import { type CreateTableBuilder, type Kysely, PostgresAdapter } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types (Kysely's advice)
type AnyDb = Kysely<any>;

/** A portable auto-increment key (as in 001-registry). */
function withId<T extends string>(db: AnyDb, t: CreateTableBuilder<T, never>) {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  return pg
    ? t.addColumn('id', 'serial', (c) => c.primaryKey())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/**
 * 摇号 (docs/admissions.md "The draw"): one draw per round. Freezing fixes the engine's input (the
 * applicant list without names, the seats, the coordinates) with its digest and the commitment to a
 * secret kept here until the draw; the draw stores the public value, the seed and the published file.
 */
export async function up(db: AnyDb): Promise<void> {
  await withId(db, db.schema.createTable('admission_draws'))
    .addColumn('round_id', 'integer', (c) =>
      c.notNull().unique().references('admission_rounds.id').onDelete('cascade'),
    )
    .addColumn('county_code', 'text', (c) => c.notNull())
    // frozen (list and commitment published) → drawn (secret revealed, result published).
    .addColumn('status', 'text', (c) => c.notNull())
    // The engine's input without the seed (JSON): what the digest covers and the draw solves.
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('applicants', 'integer', (c) => c.notNull())
    .addColumn('list_digest', 'text', (c) => c.notNull())
    .addColumn('commitment', 'text', (c) => c.notNull())
    // Secret until the draw, then published with the result.
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('public_value', 'text')
    .addColumn('seed', 'text')
    // The published draw file (JSON), exactly what `admissions verify` reads.
    .addColumn('published', 'text')
    .addColumn('frozen_at', 'text', (c) => c.notNull())
    .addColumn('frozen_by', 'text', (c) => c.notNull())
    .addColumn('drawn_at', 'text')
    .addColumn('drawn_by', 'text')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('admission_draws').ifExists().execute();
}
