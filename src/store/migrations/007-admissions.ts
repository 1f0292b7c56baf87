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
 * 阳光招生, registration and verification (docs/admissions.md): rounds with their rules as JSON
 * (frozen when registration opens), parents' phone accounts (a parent is a `users` row with role
 * parent; this table adds the phone's verification), applications with their choices, document
 * photos, guardian consent, and the clerks' decisions. Catchments and capacities are the registry's
 * (`catchments`, `school_capacity`), read for the round's county, year and stage.
 */
export async function up(db: AnyDb): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;

  await withId(db, db.schema.createTable('admission_rounds'))
    .addColumn('county_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // draft → open (rules frozen) → closed (registration over) → frozen (the draw's list fixed).
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    // The registration deadline as a UTC instant, from the rules' Asia/Shanghai time: compared on every edit.
    .addColumn('deadline_at', 'text', (c) => c.notNull())
    // SHA-256 of the rules JSON when registration opened: what the families applied under.
    .addColumn('rules_digest', 'text')
    .addColumn('opened_at', 'text')
    .addColumn('synthetic', 'integer', int0)
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('admission_rounds_key', ['county_code', 'year', 'stage'])
    .execute();

  await db.schema
    .createTable('parent_accounts')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('phone', 'text', (c) => c.notNull().unique())
    // 1 once an SMS code confirmed the phone; 0 where no SMS provider is configured.
    .addColumn('phone_verified', 'integer', int0)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // One live code per phone, stored hashed; used only when an SMS provider is configured.
  await db.schema
    .createTable('phone_codes')
    .addColumn('phone', 'text', (c) => c.primaryKey())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', int0)
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('admission_applications'))
    .addColumn('round_id', 'integer', (c) =>
      c.notNull().references('admission_rounds.id').onDelete('cascade'),
    )
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // The browser's key for this submission: a retried or double-clicked submit finds the first one.
    .addColumn('client_key', 'text', (c) => c.notNull())
    .addColumn('child_id_number', 'text', (c) => c.notNull())
    .addColumn('child_name', 'text', (c) => c.notNull())
    .addColumn('child_sex', 'text', (c) => c.notNull())
    .addColumn('child_birth_date', 'text', (c) => c.notNull())
    .addColumn('community_code', 'text', (c) => c.notNull().references('communities.code'))
    .addColumn('local_hukou', 'integer', int0)
    .addColumn('hukou_at_property', 'integer', int0)
    .addColumn('has_property', 'integer', int0)
    .addColumn('residence_permit', 'integer', int0)
    // 不动产权证号 or 网签合同号: the key of the "same property, too many families" check.
    .addColumn('property_no', 'text')
    .addColumn('guardian_name', 'text', (c) => c.notNull())
    .addColumn('guardian_relation', 'text', (c) => c.notNull())
    .addColumn('consent_at', 'text', (c) => c.notNull())
    .addColumn('claimed_category', 'text', (c) => c.notNull())
    .addColumn('approved_category', 'text')
    // submitted → returned (with reason) → submitted … → approved; or withdrawn.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('return_reason', 'text')
    .addColumn('synthetic', 'integer', int0)
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('admission_applications_child', ['round_id', 'child_id_number'])
    .addUniqueConstraint('admission_applications_client_key', ['parent_id', 'client_key'])
    .execute();
  await db.schema
    .createIndex('admission_applications_parent')
    .on('admission_applications')
    .column('parent_id')
    .execute();
  await db.schema
    .createIndex('admission_applications_child_id')
    .on('admission_applications')
    .column('child_id_number')
    .execute();
  await db.schema
    .createIndex('admission_applications_round_status')
    .on('admission_applications')
    .columns(['round_id', 'status'])
    .execute();

  await db.schema
    .createTable('admission_choices')
    .addColumn('application_id', 'integer', (c) =>
      c.notNull().references('admission_applications.id').onDelete('cascade'),
    )
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('school_id', 'integer', (c) => c.notNull().references('schools.id'))
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('admission_choices_pk', ['application_id', 'rank'])
    .execute();
  await db.schema
    .createIndex('admission_choices_school')
    .on('admission_choices')
    .column('school_id')
    .execute();

  await withId(db, db.schema.createTable('admission_documents'))
    .addColumn('application_id', 'integer', (c) =>
      c.notNull().references('admission_applications.id').onDelete('cascade'),
    )
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('doc_type', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    // The photo itself, or null when it lives in the configured directory under `stored_name`.
    .addColumn('content', pg ? 'bytea' : 'blob')
    .addColumn('stored_name', 'text')
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('admission_documents_application')
    .on('admission_documents')
    .column('application_id')
    .execute();

  // Every clerk's decision, kept beside the audit log so that the family sees the history.
  await withId(db, db.schema.createTable('admission_decisions'))
    .addColumn('application_id', 'integer', (c) =>
      c.notNull().references('admission_applications.id').onDelete('cascade'),
    )
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('reason', 'text')
    .addColumn('decided_by', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('admission_decisions_application')
    .on('admission_decisions')
    .column('application_id')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of [
    'admission_decisions',
    'admission_documents',
    'admission_choices',
    'admission_applications',
    'phone_codes',
    'parent_accounts',
    'admission_rounds',
  ])
    await db.schema.dropTable(t).ifExists().execute();
}
