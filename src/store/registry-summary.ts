import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

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

/** True when the registry holds any school (real or demo); regions alone do not count. */
export async function hasRegistryData(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('schools').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}
