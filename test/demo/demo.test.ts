import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoCity, type DemoSummary } from '../../src/demo/index.ts';
import { TARGETS_2023 } from '../../src/demo/profile.ts';
import { AppError } from '../../src/domain/errors.ts';
import { checkIdNumber } from '../../src/domain/id-number.ts';
import { countRows } from '../../src/store/bulk.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { getDemoInfo } from '../../src/store/settings.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import { censusByKey, hashDemoTables } from './support.ts';

const hashes: Record<string, string> = {};

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`demo city (small) on ${dialect}`, () => {
    let t: TestDatabase;
    let summary: DemoSummary;
    const phases: string[] = [];
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      summary = await buildDemoCity(t.store, {
        scale: 'small',
        seed: 1,
        onProgress: (p) => {
          if (phases.at(-1) !== p) phases.push(p);
        },
      });
    });
    afterAll(async () => t?.drop());
    const db = () => t.store.db;

    it('builds two counties with a few dozen schools and tens of thousands of pupils', async () => {
      expect(summary.counties.map((c) => c.name)).toEqual(['梁园区', '宁陵县']);
      expect(summary.schools).toBeGreaterThanOrEqual(24);
      expect(summary.schools).toBeLessThanOrEqual(60);
      expect(summary.students).toBe(summary.pupils);
      expect(summary.pupils).toBeGreaterThan(20_000);
      expect(await countRows(db(), 'students')).toBe(summary.students);
      expect(phases).toEqual(['梁园区', '宁陵县', 'finish']);
      const info = await getDemoInfo(db());
      expect(info).toMatchObject({ scale: 'small', seed: 1 });
      expect(Number.isNaN(Date.parse(info!.builtAt))).toBe(false);
    });

    it('has every school type, public and private (inclusive and not), urban, town and rural', async () => {
      const schools = await db().selectFrom('schools').selectAll().execute();
      const types = new Set(schools.map((s) => s.school_type));
      for (const ty of [
        'kindergarten',
        'primary',
        'nine_year',
        'junior',
        'senior',
        'vocational',
        'special',
      ]) {
        expect(types.has(ty)).toBe(true);
      }
      expect(new Set(schools.map((s) => s.locale))).toEqual(new Set(['urban', 'town', 'rural']));
      expect(
        schools.some(
          (s) => s.ownership === 'private' && s.school_type === 'kindergarten' && s.inclusive === 1,
        ),
      ).toBe(true);
      expect(schools.some((s) => s.ownership === 'private' && s.inclusive === 0)).toBe(true);
      for (const s of schools) {
        expect(s.name).toMatch(/（示例）$/);
        expect(s.township_code!.slice(0, 6)).toBe(s.county_code);
        expect(Math.abs(s.lng! - 115.65)).toBeLessThan(1.2);
        expect(Math.abs(s.lat! - 34.42)).toBeLessThan(0.8);
      }
      const towns = await db().selectFrom('regions').select('code').where('level', '=', 'township').execute();
      const real = new Set(towns.map((r) => r.code));
      expect(schools.every((s) => real.has(s.township_code!))).toBe(true);
    });

    it('refuses a second build without --replace and leaves the data as they were', async () => {
      const before = await countRows(db(), 'students');
      const err = await buildDemoCity(t.store, { scale: 'small', seed: 2 }).catch((e) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('demo.not_empty');
      expect((err as AppError).en).toMatch(/--replace/);
      expect(await countRows(db(), 'students')).toBe(before);
      expect((await getDemoInfo(db()))?.seed).toBe(1);
    });

    it('refuses a database with any business data, not only a demo', async () => {
      const other = await createTestDatabase(dialect);
      try {
        await seedRegions(other.store.db);
        await other.store.db
          .insertInto('births')
          .values({ region_code: '411402', county_code: '411402', year: 2020, births: 5 })
          .execute();
        await expect(buildDemoCity(other.store, { scale: 'small', seed: 1 })).rejects.toMatchObject({
          code: 'demo.not_empty',
        });
      } finally {
        await other.drop();
      }
    });

    it('is deterministic: --replace with the same seed rebuilds identical content; another seed differs', async () => {
      const first = await hashDemoTables(db());
      hashes[dialect] = first;
      await buildDemoCity(t.store, { scale: 'small', seed: 2, replace: true });
      const other = await hashDemoTables(db());
      expect(other).not.toBe(first);
      expect((await getDemoInfo(db()))?.seed).toBe(2);
      await buildDemoCity(t.store, { scale: 'small', seed: 1, replace: true });
      expect(await hashDemoTables(db())).toBe(first);
    });

    it('gives the same content on SQLite and PostgreSQL', () => {
      if (!hashes.sqlite || !hashes.postgres) return;
      expect(hashes.postgres).toBe(hashes.sqlite);
    });

    it('marks every record synthetic', async () => {
      for (const table of [
        'schools',
        'classes',
        'census',
        'census_teachers',
        'disabled_children',
        'education_groups',
        'students',
        'teachers',
        'population',
        'births',
        'housing',
        'communities',
        'catchments',
      ] as const) {
        const n = await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('synthetic', '<>', 1)
          .executeTakeFirstOrThrow();
        expect(Number(n.n), table).toBe(0);
        expect(await countRows(db(), table), table).toBeGreaterThan(0);
      }
      // school_capacity and group_members have no synthetic column: they belong to synthetic schools.
      for (const table of ['school_capacity', 'group_members'] as const) {
        const n = await db()
          .selectFrom(table)
          .innerJoin('schools', 'schools.id', `${table}.school_id`)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('schools.synthetic', '<>', 1)
          .executeTakeFirstOrThrow();
        expect(Number(n.n), table).toBe(0);
      }
    });

    it('issues ID numbers valid in form, with the unallocated prefix 41149x, and 学籍号 from them', async () => {
      const students = await db()
        .selectFrom('students')
        .select(['student_no', 'id_number', 'birth_date', 'sex'])
        .execute();
      let withoutId = 0;
      for (const s of students) {
        if (s.id_number === null) {
          withoutId++;
          expect(s.student_no).toMatch(/^L41149\d{13}$/);
          continue;
        }
        expect(checkIdNumber(s.id_number)).toBeNull();
        expect(s.id_number).toMatch(/^41149[0-8]/);
        expect(s.student_no).toBe(`G${s.id_number}`);
        expect(s.id_number.slice(6, 14)).toBe(s.birth_date.replaceAll('-', ''));
        expect(Number(s.id_number[16]) % 2).toBe(s.sex === 'M' ? 1 : 0);
      }
      expect(withoutId).toBeLessThan(students.length * 0.01);
      const others = [
        ...(await db().selectFrom('teachers').select('id_number').execute()),
        ...(await db().selectFrom('disabled_children').select('id_number').execute()),
      ];
      for (const o of others) {
        if (o.id_number === null) continue;
        expect(checkIdNumber(o.id_number)).toBeNull();
        expect(o.id_number).toMatch(/^41149[0-8]/);
      }
    });

    it('registers exactly the 2025 census pupils per school and grade, with the same breakdowns', async () => {
      const census = await censusByKey(db(), 2025);
      const agg = await db()
        .selectFrom('students')
        .select((eb) => [
          'school_id',
          'grade',
          eb.fn.countAll<number>().as('n'),
          eb.fn.sum<number>(eb.case().when('sex', '=', 'M').then(1).else(0).end()).as('male'),
          eb.fn.sum<number>('migrant').as('migrant'),
          eb.fn.sum<number>('left_behind').as('left_behind'),
          eb.fn.sum<number>('disabled').as('disabled'),
          eb.fn.sum<number>('boarder').as('boarder'),
          eb.fn.sum<number>('after_school').as('after_school'),
          eb.fn.sum<number>(eb('migrant', '*', eb.ref('purchased_place'))).as('purchased'),
          eb.fn
            .sum<number>(eb.case().when('disabled_placement', '=', 'home_teaching').then(1).else(0).end())
            .as('home'),
          eb.fn
            .sum<number>(eb.case().when('disabled_placement', '=', 'special_class').then(1).else(0).end())
            .as('special_class'),
        ])
        .groupBy(['school_id', 'grade'])
        .execute();
      expect(agg.length).toBe([...census.values()].filter((c) => c.pupils_male + c.pupils_female > 0).length);
      for (const a of agg) {
        const c = census.get(`${a.school_id}:${a.grade}`)!;
        expect(c, `${a.school_id}:${a.grade}`).toBeDefined();
        expect(Number(a.n)).toBe(c.pupils_male + c.pupils_female);
        expect(Number(a.male)).toBe(c.pupils_male);
        expect(Number(a.migrant)).toBe(c.migrant);
        expect(Number(a.left_behind)).toBe(c.left_behind);
        expect(Number(a.boarder)).toBe(c.boarders);
        expect(Number(a.after_school)).toBe(c.after_school);
        expect(Number(a.purchased)).toBe(c.migrant_purchased);
        expect(Number(a.home)).toBe(c.disabled_home_teaching);
        expect(Number(a.special_class)).toBe(c.disabled_special_class);
        expect(Number(a.disabled)).toBe(
          c.disabled_regular_class +
            c.disabled_special_class +
            c.disabled_special_school +
            c.disabled_home_teaching,
        );
      }
    });

    it('has classes 2021–2025 whose sizes add up to the census, pupils placed in them, and a few large classes', async () => {
      for (const year of [2021, 2023, 2025]) {
        const census = await censusByKey(db(), year);
        const sums = await db()
          .selectFrom('classes')
          .select((eb) => ['school_id', 'grade', eb.fn.sum<number>('size').as('n')])
          .where('year', '=', year)
          .groupBy(['school_id', 'grade'])
          .execute();
        expect(sums.length).toBeGreaterThan(0);
        for (const s of sums) {
          const c = census.get(`${s.school_id}:${s.grade}`)!;
          expect(Number(s.n)).toBe(c.pupils_male + c.pupils_female);
        }
        const withPupils = [...census.values()].filter((c) => c.pupils_male + c.pupils_female > 0).length;
        expect(sums.length).toBe(withPupils);
      }
      const placed = await db()
        .selectFrom('students')
        .select((eb) => ['school_id', 'grade', 'class_no', eb.fn.countAll<number>().as('n')])
        .groupBy(['school_id', 'grade', 'class_no'])
        .execute();
      const sizes = await db().selectFrom('classes').selectAll().where('year', '=', 2025).execute();
      const size = new Map(sizes.map((c) => [`${c.school_id}:${c.grade}:${c.class_no}`, c.size]));
      for (const p of placed) expect(Number(p.n)).toBe(size.get(`${p.school_id}:${p.grade}:${p.class_no}`));
      const all = await db().selectFrom('classes').select('size').where('year', '=', 2023).execute();
      const large = all.filter((c) => c.size >= 56).length;
      expect(large).toBeGreaterThan(0);
      expect(large / all.length).toBeLessThan(0.15);
    });

    it('has capacity for every grade taught, fitting most schools, with a few over capacity', async () => {
      const cap = await db().selectFrom('school_capacity').selectAll().execute();
      const capOf = new Map(cap.map((c) => [`${c.school_id}:${c.grade}`, c]));
      const census = await censusByKey(db(), 2025);
      let over = 0;
      for (const [k, c] of census) {
        const row = capOf.get(k);
        expect(row, k).toBeDefined();
        if (c.pupils_male + c.pupils_female > row!.planned_classes * row!.standard_class_size) over++;
      }
      expect(over).toBeGreaterThan(0);
      expect(over / census.size).toBeLessThan(0.2);
      const sizes = (g: string) =>
        new Set(cap.filter((c) => c.grade === g).map((c) => c.standard_class_size));
      expect(sizes('K1')).toEqual(new Set([30]));
      expect(sizes('G1')).toEqual(new Set([45, 12])); // special-education schools plan classes of 12
      expect(sizes('G7')).toEqual(new Set([50, 12]));
      expect(sizes('G10')).toEqual(new Set([50]));
    });

    it('keeps each school cohort accounted for: pupils(Y, g+1) = pupils(Y−1, g) + in − out − dropouts', async () => {
      const rows = await db().selectFrom('census').selectAll().execute();
      const key = new Map(rows.map((r) => [`${r.school_id}:${r.year}:${r.grade}`, r]));
      const next: Record<string, string> = {
        G1: 'G2',
        G2: 'G3',
        G3: 'G4',
        G4: 'G5',
        G5: 'G6',
        G7: 'G8',
        G8: 'G9',
        G10: 'G11',
        G11: 'G12',
      };
      let checked = 0;
      for (const r of rows) {
        if (r.year === 2013 || !next[r.grade]) continue;
        const prev = key.get(`${r.school_id}:${r.year - 1}:${r.grade}`);
        const now = key.get(`${r.school_id}:${r.year}:${next[r.grade]}`);
        if (!prev || !now) continue;
        const dropouts =
          prev.pupils_male +
          prev.pupils_female +
          r.transfers_in -
          r.transfers_out -
          (now.pupils_male + now.pupils_female);
        expect(dropouts).toBeGreaterThanOrEqual(0);
        checked++;
      }
      expect(checked).toBeGreaterThan(500);
    });

    it.each([2023, 2024, 2025])(
      'has a %i disabled-children register consistent with the census, about 97% enrolled',
      async (year) => {
        const reg = await db().selectFrom('disabled_children').selectAll().where('year', '=', year).execute();
        expect(reg.length).toBeGreaterThan(20);
        const enrolled = reg.filter((r) => r.placement !== 'not_enrolled');
        expect(enrolled.length / reg.length).toBeGreaterThan(0.94);
        expect(enrolled.length / reg.length).toBeLessThan(0.995);
        const census = await censusByKey(db(), year);
        const count = new Map<string, number>();
        for (const r of enrolled) {
          const k = `${r.school_id}:${r.placement}`;
          count.set(k, (count.get(k) ?? 0) + 1);
        }
        const fromCensus = new Map<string, number>();
        for (const c of census.values()) {
          for (const [col, p] of [
            ['disabled_regular_class', 'regular_class'],
            ['disabled_special_class', 'special_class'],
            ['disabled_special_school', 'special_school'],
            ['disabled_home_teaching', 'home_teaching'],
          ] as const) {
            if (c[col] > 0)
              fromCensus.set(`${c.school_id}:${p}`, (fromCensus.get(`${c.school_id}:${p}`) ?? 0) + c[col]);
          }
        }
        expect(count).toEqual(fromCensus);
        for (const r of reg) {
          const age = year - Number(r.birth_date.slice(0, 4)) - (r.birth_date.slice(5) > '08-31' ? 1 : 0);
          expect(age).toBeGreaterThanOrEqual(6);
          expect(age).toBeLessThanOrEqual(14);
        }
      },
    );

    it('has no disabled-children register before 2023, and unique register numbers per county', async () => {
      const years = await db().selectFrom('disabled_children').select('year').distinct().execute();
      expect(years.map((y) => y.year).sort()).toEqual([2023, 2024, 2025]);
      const reg = await db().selectFrom('disabled_children').select(['county_code', 'register_no']).execute();
      expect(new Set(reg.map((r) => `${r.county_code}:${r.register_no}`)).size).toBe(reg.length);
    });

    it('has teachers matching census_teachers 2025 by school and subject', async () => {
      const ct = await db().selectFrom('census_teachers').selectAll().where('year', '=', 2025).execute();
      const reg = await db()
        .selectFrom('teachers')
        .select((eb) => ['school_id', 'subject', eb.fn.countAll<number>().as('n')])
        .where('full_time', '=', 1)
        .groupBy(['school_id', 'subject'])
        .execute();
      const m = new Map(reg.map((r) => [`${r.school_id}:${r.subject}`, Number(r.n)]));
      expect(m.size).toBe(ct.length);
      for (const c of ct) expect(m.get(`${c.school_id}:${c.subject}`)).toBe(c.full_time_teachers);
    });

    it('has population by single age, births falling from the 2016 peak to about half, housing and catchments', async () => {
      const pop = await db().selectFrom('population').selectAll().execute();
      expect(pop.length).toBe(2 * 13 * 23);
      const births = await db()
        .selectFrom('births')
        .selectAll()
        .where('region_code', '=', '411402')
        .execute();
      expect(births.map((b) => b.year).sort()).toEqual(Array.from({ length: 21 }, (_, i) => 2005 + i));
      const by = new Map(births.map((b) => [b.year, b.births]));
      expect(by.get(2023)! / by.get(2016)!).toBeGreaterThan(0.35);
      expect(by.get(2023)! / by.get(2016)!).toBeLessThan(0.6);
      const housing = await db().selectFrom('housing').selectAll().execute();
      expect(housing.length).toBeGreaterThan(0);
      for (const h of housing) {
        expect(h.delivery_year).toBeGreaterThanOrEqual(2024);
        expect(h.delivery_year).toBeLessThanOrEqual(2030);
      }
      const catch_ = await db().selectFrom('catchments').selectAll().execute();
      const primary = await db()
        .selectFrom('schools')
        .select('id')
        .where('ownership', '=', 'public')
        .where('school_type', 'in', ['primary', 'nine_year'])
        .execute();
      const served = new Set(catch_.filter((c) => c.stage === 'primary').map((c) => c.school_id));
      for (const p of primary) expect(served.has(p.id)).toBe(true);
      const perCommunity = new Map<string, number>();
      for (const c of catch_.filter((c) => c.stage === 'primary'))
        perCommunity.set(c.community_code, (perCommunity.get(c.community_code) ?? 0) + 1);
      expect([...perCommunity.values()].some((n) => n > 1)).toBe(true); // 多校划片
      const groups = await countRows(db(), 'education_groups');
      expect(groups).toBeGreaterThan(0);
    });

    it('meets the five 2023 indicators within one percentage point of the Shangqiu figures', async () => {
      const k = await sums(db());
      expect(Math.abs(k.kindergarten - 100 * TARGETS_2023.kindergarten)).toBeLessThan(1);
      expect(Math.abs(k.retention - 100 * TARGETS_2023.retention)).toBeLessThan(1);
      expect(Math.abs(k.senior - 100 * TARGETS_2023.senior)).toBeLessThan(1);
      expect(Math.abs(k.afterSchool - 100 * TARGETS_2023.afterSchool)).toBeLessThan(1);
      expect(Math.abs(k.migrantPublic - 100 * TARGETS_2023.migrantPublic)).toBeLessThan(1);
      // the summary's own computation agrees
      expect(summary.indicators2023.retention.rate).toBeCloseTo(k.retention, 6);
    });
  });
}

/** The five indicators, straight from SQL sums as the conventions define them (no shared code). */
async function sums(db: TestDatabase['store']['db']) {
  const one = async (q: string) => Number((await sql.raw<{ n: unknown }>(q).execute(db)).rows[0]?.n ?? 0);
  const comp = "('G1','G2','G3','G4','G5','G6','G7','G8','G9')";
  const joined = 'census c JOIN schools s ON s.id = c.school_id';
  const pop = (a0: number, a1: number) =>
    one(`SELECT sum(persons) AS n FROM population WHERE year = 2023 AND age BETWEEN ${a0} AND ${a1}`);
  const k = await one(
    "SELECT sum(pupils_male + pupils_female) AS n FROM census WHERE year = 2023 AND grade IN ('K1','K2','K3')",
  );
  const grads = await one("SELECT sum(graduates) AS n FROM census WHERE year = 2023 AND grade = 'G9'");
  const intake = await one("SELECT sum(entrants) AS n FROM census WHERE year = 2014 AND grade = 'G1'");
  const senior = await one(
    `SELECT sum(c.pupils_male + c.pupils_female) AS n FROM ${joined} WHERE c.year = 2023 AND c.grade IN ('G10','G11','G12')` +
      " AND s.school_type IN ('senior','complete_secondary','twelve_year','vocational')",
  );
  const compPupils = await one(
    `SELECT sum(pupils_male + pupils_female) AS n FROM census WHERE year = 2023 AND grade IN ${comp}`,
  );
  const after = await one(`SELECT sum(after_school) AS n FROM census WHERE year = 2023 AND grade IN ${comp}`);
  const migrant = await one(`SELECT sum(migrant) AS n FROM census WHERE year = 2023 AND grade IN ${comp}`);
  const covered = await one(
    `SELECT sum(CASE WHEN s.ownership = 'public' THEN c.migrant ELSE c.migrant_purchased END) AS n FROM ${joined}` +
      ` WHERE c.year = 2023 AND c.grade IN ${comp}`,
  );
  return {
    kindergarten: (100 * k) / (await pop(3, 5)),
    retention: (100 * grads) / intake,
    senior: (100 * senior) / (await pop(15, 17)),
    afterSchool: (100 * after) / compPupils,
    migrantPublic: (100 * covered) / migrant,
  };
}
