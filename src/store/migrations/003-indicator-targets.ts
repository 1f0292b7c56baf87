import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types (Kysely's advice)
type AnyDb = Kysely<any>;

/**
 * The bureau's edited indicator targets; the preloaded national and Henan thresholds are code
 * (src/engines/indicators/targets.ts) and are not stored. `year` null means every year; `stage` ''
 * means a whole-system indicator ('' rather than NULL so that it takes part in the unique key).
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('indicator_targets')
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('county_code', 'text', (c) => c.references('regions.code'))
    .addColumn('year', 'integer')
    .addColumn('indicator_id', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('comparator', 'text', (c) => c.notNull())
    .addColumn('threshold', 'double precision', (c) => c.notNull())
    .addColumn('close_margin', 'double precision', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('synthetic', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // NULL years are distinct in a plain unique index on both dialects; coalesce makes "every year" one key.
  await sql`create unique index indicator_targets_key on indicator_targets (region_code, indicator_id, stage, (coalesce(year, 0)))`.execute(
    db,
  );
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('indicator_targets').ifExists().execute();
}
