import { type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, PostgresAdapter } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types (Kysely's advice)
type AnyDb = Kysely<any>;

/** A portable auto-increment key: `serial` on PostgreSQL, `integer autoincrement` on SQLite. */
function withId<T extends string>(db: AnyDb, t: CreateTableBuilder<T, never>) {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  return pg
    ? t.addColumn('id', 'serial', (c) => c.primaryKey())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

const int0 = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(0);
const schoolRef = (c: ColumnDefinitionBuilder) => c.notNull().references('schools.id').onDelete('cascade');

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('regions')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text', (c) => c.references('regions.code'))
    .addColumn('level', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('regions_parent').on('regions').column('parent_code').execute();

  await withId(db, db.schema.createTable('schools'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('county_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('township_code', 'text', (c) => c.references('regions.code'))
    .addColumn('school_type', 'text', (c) => c.notNull())
    .addColumn('ownership', 'text', (c) => c.notNull())
    .addColumn('inclusive', 'integer', int0)
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('lng', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('boarding', 'integer', int0)
    .addColumn('address', 'text')
    .addColumn('synthetic', 'integer', int0)
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('schools_county')
    .on('schools')
    .columns(['county_code', 'school_type'])
    .execute();

  await db.schema
    .createTable('school_capacity')
    .addColumn('school_id', 'integer', schoolRef)
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('planned_classes', 'integer', (c) => c.notNull())
    .addColumn('standard_class_size', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('school_capacity_pk', ['school_id', 'grade'])
    .execute();

  await withId(db, db.schema.createTable('classes'))
    .addColumn('school_id', 'integer', schoolRef)
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('class_no', 'integer', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('synthetic', 'integer', int0)
    .addUniqueConstraint('classes_key', ['school_id', 'year', 'grade', 'class_no'])
    .execute();
  await db.schema.createIndex('classes_county_year').on('classes').columns(['county_code', 'year']).execute();
  // The latest year and a year's classes per school are asked on every school list and page.
  await db.schema.createIndex('classes_year_school').on('classes').columns(['year', 'school_id']).execute();

  let census = db.schema
    .createTable('census')
    .addColumn('school_id', 'integer', schoolRef)
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull());
  for (const col of CENSUS_COUNT_COLUMNS) census = census.addColumn(col, 'integer', int0);
  await census
    .addColumn('synthetic', 'integer', int0)
    .addPrimaryKeyConstraint('census_pk', ['school_id', 'year', 'grade'])
    .execute();
  await db.schema.createIndex('census_county_year').on('census').columns(['county_code', 'year']).execute();
  await db.schema.createIndex('census_year_school').on('census').columns(['year', 'school_id']).execute();

  await db.schema
    .createTable('census_teachers')
    .addColumn('school_id', 'integer', schoolRef)
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('full_time_teachers', 'integer', int0)
    .addColumn('synthetic', 'integer', int0)
    .addPrimaryKeyConstraint('census_teachers_pk', ['school_id', 'year', 'subject'])
    .execute();
  await db.schema.createIndex('census_teachers_year').on('census_teachers').column('year').execute();

  await withId(db, db.schema.createTable('disabled_children'))
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('township_code', 'text')
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('register_no', 'text', (c) => c.notNull())
    .addColumn('id_number', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('disability_type', 'text', (c) => c.notNull())
    .addColumn('placement', 'text', (c) => c.notNull())
    .addColumn('school_id', 'integer', (c) => c.references('schools.id').onDelete('set null'))
    .addColumn('synthetic', 'integer', int0)
    .addUniqueConstraint('disabled_children_key', ['county_code', 'year', 'register_no'])
    .execute();

  await withId(db, db.schema.createTable('education_groups'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('lead_school_id', 'integer', schoolRef)
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('tightness', 'text', (c) => c.notNull())
    .addColumn('start_year', 'integer', (c) => c.notNull())
    .addColumn('synthetic', 'integer', int0)
    .execute();
  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'integer', (c) =>
      c.notNull().references('education_groups.id').onDelete('cascade'),
    )
    .addColumn('school_id', 'integer', schoolRef)
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('joined_year', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'school_id'])
    .execute();

  await withId(db, db.schema.createTable('students'))
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('school_id', 'integer', schoolRef)
    .addColumn('student_no', 'text', (c) => c.notNull().unique())
    .addColumn('id_number', 'text', (c) => c.unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('class_no', 'integer')
    .addColumn('migrant', 'integer', int0)
    .addColumn('left_behind', 'integer', int0)
    .addColumn('disabled', 'integer', int0)
    .addColumn('boarder', 'integer', int0)
    .addColumn('after_school', 'integer', int0)
    .addColumn('community_code', 'text')
    .addColumn('synthetic', 'integer', int0)
    .execute();
  await db.schema.createIndex('students_school').on('students').columns(['school_id', 'grade']).execute();

  await withId(db, db.schema.createTable('teachers'))
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('school_id', 'integer', schoolRef)
    .addColumn('teacher_no', 'text', (c) => c.notNull().unique())
    .addColumn('id_number', 'text', (c) => c.unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('full_time', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('in_establishment', 'integer', int0)
    .addColumn('title', 'text')
    .addColumn('hire_year', 'integer')
    .addColumn('school_since_year', 'integer')
    .addColumn('synthetic', 'integer', int0)
    .execute();
  await db.schema.createIndex('teachers_school').on('teachers').column('school_id').execute();

  await db.schema
    .createTable('population')
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('age', 'integer', (c) => c.notNull())
    .addColumn('persons', 'integer', (c) => c.notNull())
    .addColumn('synthetic', 'integer', int0)
    .addPrimaryKeyConstraint('population_pk', ['region_code', 'year', 'age'])
    .execute();

  await db.schema
    .createTable('births')
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('births', 'integer', (c) => c.notNull())
    .addColumn('synthetic', 'integer', int0)
    .addPrimaryKeyConstraint('births_pk', ['region_code', 'year'])
    .execute();

  await db.schema
    .createTable('communities')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('county_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('township_code', 'text', (c) => c.references('regions.code'))
    .addColumn('lng', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('synthetic', 'integer', int0)
    .execute();

  await withId(db, db.schema.createTable('housing'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('community_code', 'text', (c) => c.references('communities.code'))
    .addColumn('delivery_year', 'integer', (c) => c.notNull())
    .addColumn('units', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('synthetic', 'integer', int0)
    .execute();

  await db.schema
    .createTable('catchments')
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('community_code', 'text', (c) =>
      c.notNull().references('communities.code').onDelete('cascade'),
    )
    .addColumn('school_id', 'integer', schoolRef)
    .addColumn('synthetic', 'integer', int0)
    .addPrimaryKeyConstraint('catchments_pk', ['year', 'stage', 'community_code', 'school_id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of [
    'catchments',
    'housing',
    'communities',
    'births',
    'population',
    'teachers',
    'students',
    'group_members',
    'education_groups',
    'disabled_children',
    'census_teachers',
    'census',
    'classes',
    'school_capacity',
    'schools',
    'regions',
    'settings',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}

/** Frozen copy of the census count columns as this migration created them. */
const CENSUS_COUNT_COLUMNS = [
  'pupils_male',
  'pupils_female',
  'migrant',
  'migrant_purchased',
  'disabled_regular_class',
  'disabled_special_class',
  'disabled_special_school',
  'disabled_home_teaching',
  'left_behind',
  'boarders',
  'after_school',
  'entrants',
  'transfers_in',
  'transfers_out',
  'graduates',
] as const;
