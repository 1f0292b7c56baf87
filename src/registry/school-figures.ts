/**
 * The school list's figures (pupils in the newest census year, classes in the newest class year),
 * stored per school in `school_figures` so that sorting by them reads one small table. Every write
 * of the census or classes (imports, the demo build, the census derived from the registers) ends,
 * inside its transaction, with `refreshSchoolFigures`.
 */
import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

/**
 * The statement pair that recomputes every school's figures, compiled for the store's dialect, so
 * that a bulk load (the demo build) can run it inside its own transaction.
 */
export function schoolFiguresStatements(db: Kysely<Database>): CompiledQuery[] {
  return [
    db.deleteFrom('school_figures').compile(),
    db
      .insertInto('school_figures')
      .columns(['school_id', 'pupils', 'classes'])
      .expression(
        db.selectFrom('schools as s').select((eb) => [
          's.id',
          eb
            .selectFrom('census as ce')
            .select((e) =>
              e.fn
                .coalesce(e.fn.sum<number>(e('ce.pupils_male', '+', e.ref('ce.pupils_female'))), e.lit(0))
                .as('n'),
            )
            .whereRef('ce.school_id', '=', 's.id')
            .where('ce.year', '=', (e) => e.selectFrom('census').select((m) => m.fn.max('year').as('y')))
            .as('pupils'),
          eb
            .selectFrom('classes as cl')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('cl.school_id', '=', 's.id')
            .where('cl.year', '=', (e) => e.selectFrom('classes').select((m) => m.fn.max('year').as('y')))
            .as('classes'),
        ]),
      )
      .compile(),
  ];
}

/** Recomputes every school's figures: one statement pair, some milliseconds for a city. */
export async function refreshSchoolFigures(db: Kysely<Database>): Promise<void> {
  for (const q of schoolFiguresStatements(db)) await db.executeQuery(q);
}
