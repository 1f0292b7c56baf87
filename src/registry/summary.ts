import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { latestYears } from './scope.ts';

export interface RegistrySummary {
  schoolsByType: { school_type: string; ownership: string; n: number }[];
  pupils: number;
  students: number;
  teachers: number;
  classes: number;
  latestCensusYear: number | null;
}

/** Headline counts of the registry, for /api/status and the page shown when the web app is not built. */
export async function summarizeRegistry(db: Kysely<Database>): Promise<RegistrySummary> {
  const schoolsByType = await db
    .selectFrom('schools')
    .select(['school_type', 'ownership', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['school_type', 'ownership'])
    .orderBy('school_type')
    .execute();
  const latestCensusYear = (await latestYears(db)).census;
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
