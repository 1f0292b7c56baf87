import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types (Kysely's advice)
type AnyDb = Kysely<any>;

/**
 * Each school's pupils in the newest census year and classes in the newest class year, kept by
 * every write of the census or classes (src/registry/school-figures.ts), so that the school list
 * sorts by them without summing the census of every school on each request.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('school_figures')
    .addColumn('school_id', 'integer', (c) => c.primaryKey().references('schools.id').onDelete('cascade'))
    .addColumn('pupils', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('classes', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`
    insert into school_figures (school_id, pupils, classes)
    select s.id,
      coalesce((select sum(ce.pupils_male + ce.pupils_female) from census ce
        where ce.school_id = s.id and ce.year = (select max(year) from census)), 0),
      (select count(*) from classes cl
        where cl.school_id = s.id and cl.year = (select max(year) from classes))
    from schools s`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('school_figures').ifExists().execute();
}
