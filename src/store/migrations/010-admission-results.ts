import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types (Kysely's advice)
type AnyDb = Kysely<any>;

/**
 * 录取结果 (docs/admissions.md "Publication and results"): publishing a drawn round copies the draw
 * file's placements onto the applications — the school, how the child was placed (choice, fallback,
 * overflow 统筹, or later appeal), the child's lottery key and tier — and stamps the draw as published.
 * An approved application of a published round with no place keeps result_school_id and result_by null.
 * One ALTER per column: SQLite adds one column per statement.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('admission_applications')
    .addColumn('result_school_id', 'integer', (c) => c.references('schools.id'))
    .execute();
  // choice | fallback | overflow | appeal
  await db.schema.alterTable('admission_applications').addColumn('result_by', 'text').execute();
  // The child's lottery key (hex), as in the draw file.
  await db.schema.alterTable('admission_applications').addColumn('result_key', 'text').execute();
  await db.schema.alterTable('admission_applications').addColumn('result_tier', 'integer').execute();
  await db.schema
    .createIndex('admission_applications_result_school')
    .on('admission_applications')
    .column('result_school_id')
    .execute();

  await db.schema.alterTable('admission_draws').addColumn('published_at', 'text').execute();
  await db.schema.alterTable('admission_draws').addColumn('published_by', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('admission_draws').dropColumn('published_by').execute();
  await db.schema.alterTable('admission_draws').dropColumn('published_at').execute();
  await db.schema.dropIndex('admission_applications_result_school').ifExists().execute();
  for (const c of ['result_tier', 'result_key', 'result_by', 'result_school_id']) {
    await db.schema.alterTable('admission_applications').dropColumn(c).execute();
  }
}
