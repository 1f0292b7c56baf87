/**
 * The five 2023 indicators the demo is calibrated to, computed from what the database holds (plain
 * SQL sums over census and population, as the conventions define them). The official indicator
 * engine comes later; this is the demo's own check, used by the CLI summary and the tests.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../store/schema.ts';

export interface IndicatorValue {
  /** Percent, 0–100. */
  rate: number;
  numerator: number;
  denominator: number;
}
export interface DemoIndicators {
  kindergartenGross: IndicatorValue; // 学前三年毛入园率
  retention: IndicatorValue; // 九年义务教育巩固率 (raw)
  seniorGross: IndicatorValue; // 高中阶段毛入学率
  afterSchool: IndicatorValue; // 课后服务参与率
  migrantPublic: IndicatorValue; // 随迁子女就读公办比例
}

const COMPULSORY = ['G1', 'G2', 'G3', 'G4', 'G5', 'G6', 'G7', 'G8', 'G9'];
const SENIOR_TYPES = ['senior', 'complete_secondary', 'twelve_year', 'vocational'];

const value = (n: unknown, d: unknown): IndicatorValue => {
  const numerator = Number(n ?? 0);
  const denominator = Number(d ?? 0);
  return { rate: denominator > 0 ? (100 * numerator) / denominator : 0, numerator, denominator };
};

export async function computeDemoIndicators(db: Kysely<Database>, year = 2023): Promise<DemoIndicators> {
  const pupils = sql<number>`sum(c.pupils_male + c.pupils_female)`;
  const pop = async (a0: number, a1: number) =>
    (
      await db
        .selectFrom('population')
        .select((eb) => eb.fn.sum<number>('persons').as('n'))
        .where('year', '=', year)
        .where('age', '>=', a0)
        .where('age', '<=', a1)
        .executeTakeFirst()
    )?.n;
  const k = await db
    .selectFrom('census as c')
    .select(pupils.as('n'))
    .where('c.year', '=', year)
    .where('c.grade', 'in', ['K1', 'K2', 'K3'])
    .executeTakeFirst();
  const grads = await db
    .selectFrom('census as c')
    .select((eb) => eb.fn.sum<number>('c.graduates').as('n'))
    .where('c.year', '=', year)
    .where('c.grade', '=', 'G9')
    .executeTakeFirst();
  const intake = await db
    .selectFrom('census as c')
    .select((eb) => eb.fn.sum<number>('c.entrants').as('n'))
    .where('c.year', '=', year - 9)
    .where('c.grade', '=', 'G1')
    .executeTakeFirst();
  const senior = await db
    .selectFrom('census as c')
    .innerJoin('schools as s', 's.id', 'c.school_id')
    .select(pupils.as('n'))
    .where('c.year', '=', year)
    .where('c.grade', 'in', ['G10', 'G11', 'G12'])
    .where('s.school_type', 'in', SENIOR_TYPES)
    .executeTakeFirst();
  const comp = await db
    .selectFrom('census as c')
    .innerJoin('schools as s', 's.id', 'c.school_id')
    .select([
      pupils.as('pupils'),
      sql<number>`sum(c.after_school)`.as('after_school'),
      sql<number>`sum(c.migrant)`.as('migrant'),
      sql<number>`sum(case when s.ownership = 'public' then c.migrant else c.migrant_purchased end)`.as(
        'covered',
      ),
    ])
    .where('c.year', '=', year)
    .where('c.grade', 'in', COMPULSORY)
    .executeTakeFirst();
  return {
    kindergartenGross: value(k?.n, await pop(3, 5)),
    retention: value(grads?.n, intake?.n),
    seniorGross: value(senior?.n, await pop(15, 17)),
    afterSchool: value(comp?.after_school, comp?.pupils),
    migrantPublic: value(comp?.covered, comp?.migrant),
  };
}
