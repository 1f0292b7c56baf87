import { type CreateTableBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

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
 * 申诉/复核 (docs/admissions.md "Appeals 申诉"): a family's appeal against its published result, with
 * the reason and an optional wished-for school; a clerk grants it into a school with seats left
 * (reserved or left over) or refuses it, with a reason the family sees. One live appeal per
 * application — any not withdrawn — enforced by a partial unique index.
 */
export async function up(db: AnyDb): Promise<void> {
  await withId(db, db.schema.createTable('admission_appeals'))
    .addColumn('application_id', 'integer', (c) =>
      c.notNull().references('admission_applications.id').onDelete('cascade'),
    )
    .addColumn('round_id', 'integer', (c) =>
      c.notNull().references('admission_rounds.id').onDelete('cascade'),
    )
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('desired_school_id', 'integer', (c) => c.references('schools.id'))
    // submitted → granted | refused (by a clerk) | withdrawn (by the family, while submitted).
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    // The clerk's reason, which the family sees.
    .addColumn('decision_reason', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    // Where a granted appeal placed the child (also the application's result_school_id).
    .addColumn('placed_school_id', 'integer', (c) => c.references('schools.id'))
    // The application's result before the grant: what the audit's before shows, kept with the appeal.
    .addColumn('previous_school_id', 'integer', (c) => c.references('schools.id'))
    .addColumn('withdrawn_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('admission_appeals_live')
    .on('admission_appeals')
    .column('application_id')
    .unique()
    .where(sql<boolean>`status <> 'withdrawn'`)
    .execute();
  await db.schema
    .createIndex('admission_appeals_round_status')
    .on('admission_appeals')
    .columns(['round_id', 'status'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('admission_appeals').ifExists().execute();
}
