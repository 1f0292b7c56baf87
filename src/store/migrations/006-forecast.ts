import { type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, PostgresAdapter } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types (Kysely's advice)
type AnyDb = Kysely<any>;

/** A portable auto-increment key (as in 001-registry). */
function withId<T extends string>(db: AnyDb, t: CreateTableBuilder<T, never>) {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  return pg
    ? t.addColumn('id', 'serial', (c) => c.primaryKey())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

const int0 = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(0);

/**
 * Saved forecast runs (the engine's input and result with the input's SHA-256, so that the balance,
 * the web pages and planning reuse one run and can tell when the data under it changed), and the
 * school-building pipeline in its minimal form: the projects module extends `projects` later.
 */
export async function up(db: AnyDb): Promise<void> {
  await withId(db, db.schema.createTable('forecast_runs'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    // null for a run over several counties (a city): scope checks then use the region code.
    .addColumn('county_code', 'text', (c) => c.references('regions.code'))
    .addColumn('area_level', 'text', (c) => c.notNull())
    .addColumn('parameters', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('synthetic', 'integer', int0)
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('forecast_runs_name', ['region_code', 'name'])
    .execute();

  await withId(db, db.schema.createTable('projects'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('county_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('school_id', 'integer', (c) => c.references('schools.id').onDelete('set null'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('seats', 'integer', (c) => c.notNull())
    .addColumn('delivery_year', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('synthetic', 'integer', int0)
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('projects_county').on('projects').columns(['county_code', 'stage']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('projects').ifExists().execute();
  await db.schema.dropTable('forecast_runs').ifExists().execute();
}
