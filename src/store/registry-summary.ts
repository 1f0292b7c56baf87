import { type Kysely, sql } from 'kysely';
import { BUSINESS_TABLES_CHILDREN_FIRST, type Database } from './schema.ts';

export interface RegistrySummary {
  schoolsByType: { school_type: string; ownership: string; n: number }[];
  pupils: number;
  students: number;
  teachers: number;
  classes: number;
  latestCensusYear: number | null;
}

/** Headline counts of the registry, for the status page and `npm start`. */
export async function summarizeRegistry(db: Kysely<Database>): Promise<RegistrySummary> {
  const schoolsByType = await db
    .selectFrom('schools')
    .select(['school_type', 'ownership', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['school_type', 'ownership'])
    .orderBy('school_type')
    .execute();
  const latest = await db
    .selectFrom('census')
    .select((eb) => eb.fn.max('year').as('y'))
    .executeTakeFirst();
  const latestCensusYear = latest?.y == null ? null : Number(latest.y);
  const pupils =
    latestCensusYear === null
      ? 0
      : Number(
          (
            await db
              .selectFrom('census')
              .select((eb) => eb.fn.sum<number>(eb('pupils_male', '+', eb.ref('pupils_female'))).as('n'))
              .where('year', '=', latestCensusYear)
              .executeTakeFirst()
          )?.n ?? 0,
        );
  const count = async (t: 'students' | 'teachers' | 'classes') =>
    Number(
      (
        await db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    schoolsByType: schoolsByType.map((r) => ({ ...r, n: Number(r.n) })),
    pupils,
    students: await count('students'),
    teachers: await count('teachers'),
    classes: await count('classes'),
    latestCensusYear,
  };
}

/** True when any business table holds a row (regions alone do not count): the demo city then refuses. */
export async function hasBusinessData(db: Kysely<Database>): Promise<boolean> {
  for (const table of BUSINESS_TABLES_CHILDREN_FIRST) {
    if (await db.selectFrom(table).select(sql.lit(1).as('x')).limit(1).executeTakeFirst()) return true;
  }
  return false;
}
