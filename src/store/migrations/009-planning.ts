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
 * Layout-planning scenarios (docs/planning.md): the engine input built from the registry and a forecast
 * run, its SHA-256, the options it was built with and the engine's plan, under a name unique per county.
 */
export async function up(db: AnyDb): Promise<void> {
  await withId(db, db.schema.createTable('planning_scenarios'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('county_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('target_year', 'integer', (c) => c.notNull())
    // The forecast run the demand came from; the scenario outlives it (its input and fingerprint stay).
    .addColumn('forecast_run_id', 'integer', (c) => c.references('forecast_runs.id').onDelete('set null'))
    .addColumn('parameters', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('planning_scenarios_name', ['county_code', 'name'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('planning_scenarios').ifExists().execute();
}
