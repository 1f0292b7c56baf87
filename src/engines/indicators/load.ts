/** Store → engine input: the census, classes, teachers, population and registers of a region and year. */
import type { Kysely } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import type { Database } from '../../store/schema.ts';
import type { ParsedIndicatorInput } from './contract.ts';

/** `all` is every school in the store (the demo's check); otherwise a region code or a school code. */
export type IndicatorScope = { kind: 'all' } | { kind: 'region'; code: string };

type Db = Kysely<Database>;

interface Resolved {
  schoolIds: number[];
  /** region_code values of the population rows to sum; null: the scope has no population (a school). */
  populationRegions: string[] | null;
  register: { counties?: string[]; township?: string; schoolId?: number } | null;
}

async function resolve(db: Db, scope: IndicatorScope): Promise<Resolved> {
  if (scope.kind === 'all') {
    const schools = await db.selectFrom('schools').select('id').execute();
    const counties = (
      await db.selectFrom('regions').select('code').where('level', '=', 'county').execute()
    ).map((r) => r.code);
    return { schoolIds: schools.map((s) => s.id), populationRegions: counties, register: {} };
  }
  const region = await db.selectFrom('regions').selectAll().where('code', '=', scope.code).executeTakeFirst();
  if (region?.level === 'township') {
    const schools = await db
      .selectFrom('schools')
      .select('id')
      .where('township_code', '=', region.code)
      .execute();
    return {
      schoolIds: schools.map((s) => s.id),
      populationRegions: [region.code],
      register: { township: region.code },
    };
  }
  if (region) {
    const counties =
      region.level === 'county'
        ? [region.code]
        : (
            await db
              .selectFrom('regions')
              .select('code')
              .where('level', '=', 'county')
              .where((eb) =>
                eb.or([
                  eb('parent_code', '=', region.code),
                  eb(
                    'parent_code',
                    'in',
                    eb.selectFrom('regions as p').select('p.code').where('p.parent_code', '=', region.code),
                  ),
                ]),
              )
              .execute()
          ).map((r) => r.code);
    const schools =
      counties.length === 0
        ? []
        : await db.selectFrom('schools').select('id').where('county_code', 'in', counties).execute();
    return { schoolIds: schools.map((s) => s.id), populationRegions: counties, register: { counties } };
  }
  const school = await db
    .selectFrom('schools')
    .select('id')
    .where('code', '=', scope.code)
    .executeTakeFirst();
  if (!school)
    throw new AppError(
      'indicators.unknown_region',
      `找不到区划或学校 ${scope.code}`,
      `no region or school with code ${scope.code}`,
      '--region',
    );
  return { schoolIds: [school.id], populationRegions: null, register: { schoolId: school.id } };
}

const CHUNK = 500;
async function chunked<T>(ids: number[], f: (part: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await f(ids.slice(i, i + CHUNK))));
  return out;
}

/** Loads the engine input for a scope and year Y from the store. */
export async function loadIndicatorInput(
  db: Db,
  scope: IndicatorScope,
  year: number,
): Promise<ParsedIndicatorInput> {
  const r = await resolve(db, scope);
  const ids = r.schoolIds;
  const schools = await chunked(ids, (part) =>
    db
      .selectFrom('schools')
      .select(['id', 'county_code', 'school_type', 'ownership', 'inclusive'])
      .where('id', 'in', part)
      .execute(),
  );
  const leads = await chunked(ids, (part) =>
    db
      .selectFrom('education_groups')
      .select('lead_school_id as id')
      .where('lead_school_id', 'in', part)
      .where('start_year', '<=', year)
      .execute(),
  );
  const members = await chunked(ids, (part) =>
    db
      .selectFrom('group_members as m')
      .innerJoin('education_groups as g', 'g.id', 'm.group_id')
      .select('m.school_id as id')
      .where('m.school_id', 'in', part)
      .where('m.joined_year', '<=', year)
      .where('g.start_year', '<=', year)
      .execute(),
  );
  const grouped = new Set([...leads, ...members].map((x) => Number(x.id)));
  const census = await chunked(ids, (part) =>
    db
      .selectFrom('census')
      .select([
        'school_id',
        'year',
        'grade',
        'pupils_male',
        'pupils_female',
        'migrant',
        'migrant_purchased',
        'after_school',
        'entrants',
        'transfers_in',
        'transfers_out',
        'graduates',
      ])
      .where('school_id', 'in', part)
      .where('year', '>=', year - 9)
      .where('year', '<=', year)
      .execute(),
  );
  const teachers = await chunked(ids, (part) =>
    db
      .selectFrom('census_teachers')
      .select(['school_id', 'full_time_teachers'])
      .where('school_id', 'in', part)
      .where('year', '=', year)
      .execute(),
  );
  const classes = await chunked(ids, (part) =>
    db
      .selectFrom('classes')
      .select(['school_id', 'grade', 'size'])
      .where('school_id', 'in', part)
      .where('year', '=', year)
      .execute(),
  );
  let population: ParsedIndicatorInput['population'] = null;
  if (r.populationRegions && r.populationRegions.length > 0) {
    const rows = await db
      .selectFrom('population')
      .select(['region_code', 'age', 'persons'])
      .where('region_code', 'in', r.populationRegions)
      .where('year', '=', year)
      .execute();
    if (rows.length > 0)
      population = rows.map((p) => ({
        region_code: p.region_code,
        age: Number(p.age),
        persons: Number(p.persons),
      }));
  }
  let disabled: ParsedIndicatorInput['disabled_register'] = null;
  if (r.register) {
    const reg = r.register;
    const rows = await db
      .selectFrom('disabled_children')
      .select(['placement', (eb) => eb.fn.countAll<number>().as('n')])
      .where('year', '=', year)
      .$if(reg.counties !== undefined, (q) =>
        q.where('county_code', 'in', reg.counties!.length ? reg.counties! : ['']),
      )
      .$if(reg.township !== undefined, (q) => q.where('township_code', '=', reg.township!))
      .$if(reg.schoolId !== undefined, (q) => q.where('school_id', '=', reg.schoolId!))
      .groupBy('placement')
      .execute();
    if (rows.length > 0)
      disabled = rows.map((x) => ({
        placement: x.placement as NonNullable<ParsedIndicatorInput['disabled_register']>[number]['placement'],
        children: Number(x.n),
      }));
  }
  return {
    year,
    schools: schools.map((s) => ({
      id: Number(s.id),
      county_code: s.county_code,
      school_type: s.school_type as ParsedIndicatorInput['schools'][number]['school_type'],
      ownership: s.ownership as ParsedIndicatorInput['schools'][number]['ownership'],
      inclusive: Number(s.inclusive) === 1,
      in_group: grouped.has(Number(s.id)),
    })),
    census: census.map((c) => ({
      school_id: Number(c.school_id),
      year: Number(c.year),
      grade: c.grade as ParsedIndicatorInput['census'][number]['grade'],
      pupils: Number(c.pupils_male) + Number(c.pupils_female),
      migrant: Number(c.migrant),
      migrant_purchased: Number(c.migrant_purchased),
      after_school: Number(c.after_school),
      entrants: Number(c.entrants),
      transfers_in: Number(c.transfers_in),
      transfers_out: Number(c.transfers_out),
      graduates: Number(c.graduates),
    })),
    teachers: teachers.map((t) => ({
      school_id: Number(t.school_id),
      full_time_teachers: Number(t.full_time_teachers),
    })),
    classes: classes.map((c) => ({
      school_id: Number(c.school_id),
      grade: c.grade as ParsedIndicatorInput['classes'][number]['grade'],
      size: Number(c.size),
    })),
    population,
    // A county with schools but no population makes the figure unavailable; one with neither is no data.
    population_areas:
      r.populationRegions === null
        ? undefined
        : r.register?.township !== undefined
          ? r.populationRegions
          : [...new Set(schools.map((s) => s.county_code))],
    disabled_register: disabled,
  };
}
