import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types (Kysely's advice)
type AnyDb = Kysely<any>;

/**
 * Two fields of the pupil register that the census derived from it needs: 政府购买学位 (a place the
 * government buys at a private school, behind census migrant_purchased) and the placement of a disabled
 * pupil (behind census disabled_regular_class … disabled_home_teaching).
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('students')
    .addColumn('purchased_place', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('students').addColumn('disabled_placement', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('students').dropColumn('disabled_placement').execute();
  await db.schema.alterTable('students').dropColumn('purchased_place').execute();
}
