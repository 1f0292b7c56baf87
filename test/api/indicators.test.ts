import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Grade, stageOfGrade } from '../../src/domain/stages.ts';
import { computeIndicators } from '../../src/engines/indicators/index.ts';
import { loadIndicatorInput } from '../../src/indicators/load.ts';
import type {
  IndicatorChildrenView,
  IndicatorRecordsView,
  IndicatorRegionView,
  IndicatorTrendView,
} from '../../src/server/indicator-contracts.ts';
import { appWithUsers, type NamedUser, type NamedUsersApp, seedDemoCity } from '../support/api.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';

const CITY = '411400';
const HOME = '411402';
const OTHER = '411423';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`indicator API on ${dialect}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let school: { id: number; code: string; township_code: string; stage: string };
    let call: NamedUsersApp['call'];
    const get = <T>(who: string, url: string, lang = 'zh') =>
      call<T>(who, 'GET', url, undefined, { 'accept-language': lang });

    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedDemoCity(t);
      // A school with a large class in 2025, where the demo holds the pupil register.
      const s = await t.store.db
        .selectFrom('schools')
        .innerJoin('classes', 'classes.school_id', 'schools.id')
        .select(['schools.id', 'schools.code', 'schools.township_code', 'classes.grade'])
        .where('schools.county_code', '=', HOME)
        .where('classes.year', '=', 2025)
        .where('classes.size', '>=', 56)
        .where('classes.size', '<=', 65)
        .orderBy('schools.id')
        .executeTakeFirstOrThrow();
      school = {
        id: s.id,
        code: s.code,
        township_code: s.township_code!,
        stage: stageOfGrade(s.grade as Grade),
      };
      const users: NamedUser[] = [
        ['stats', 'city_statistics', CITY, null],
        ['planner', 'city_planning', CITY, null],
        ['welfare', 'city_welfare', CITY, null],
        ['clerk', 'county_staff', HOME, null],
        ['teacher', 'school_staff', null, s.code],
      ];
      ({ app, call } = await appWithUsers(t, users));
    }, 180_000);
    afterAll(async () => {
      await app?.close();
      await t?.drop();
    });

    it("gives the city's figures with definitions, targets and status; the same as the engine", async () => {
      const r = await get<IndicatorRegionView>('stats', '/api/indicators?year=2023');
      expect(r.status).toBe(200);
      const v = r.body;
      expect(v.region).toMatchObject({ code: CITY, level: 'city' });
      expect(v.year).toBe(2023);
      expect(v.years).toContain(2025);
      const engine = computeIndicators(
        await loadIndicatorInput(t.store.db, { kind: 'region', code: CITY }, 2023),
      );
      expect(v.figures.map((f) => [f.id, f.stage])).toEqual(engine.map((f) => [f.id, f.stage]));
      v.figures.forEach((f, i) => {
        expect(f.numerator).toBeCloseTo(engine[i].numerator, 9);
        expect(f.definition.zh.length).toBeGreaterThan(0);
        expect(f.definition.formula.length).toBeGreaterThan(0);
      });
      const ger = v.figures.find((f) => f.id === 'preschool_ger')!;
      expect(ger.target).not.toBeNull();
      expect(ger.status).toMatch(/^(met|close|not_met)$/);
      const latest = await get<IndicatorRegionView>('stats', '/api/indicators');
      expect(latest.body.year).toBe(Math.max(...v.years));
    });

    it('gives a trend over the years with data that agrees with the year view', async () => {
      const r = await get<IndicatorTrendView>('stats', `/api/indicators/trend?region=${HOME}`);
      expect(r.status).toBe(200);
      const years = r.body.points.map((p) => p.year);
      expect(years).toEqual([...years].sort((a, b) => a - b));
      const y2023 = r.body.points.find((p) => p.year === 2023)!;
      const view = (await get<IndicatorRegionView>('stats', `/api/indicators?region=${HOME}&year=2023`)).body;
      expect(y2023.figures.map((f) => f.value)).toEqual(view.figures.map((f) => f.value));
    });

    it('drills down city → counties → townships → schools; the children sum to the total', async () => {
      const city = (await get<IndicatorChildrenView>('stats', '/api/indicators/children?year=2023')).body;
      expect(city.childLevel).toBe('county');
      expect(city.children.map((c) => c.region.code)).toEqual(expect.arrayContaining([HOME, OTHER]));
      city.total.forEach((f, i) => {
        const sum = city.children.reduce((n, c) => n + c.figures[i].numerator, 0);
        expect(sum, f.id).toBeCloseTo(f.numerator, 6);
      });
      const county = (
        await get<IndicatorChildrenView>('stats', `/api/indicators/children?region=${HOME}&year=2023`)
      ).body;
      expect(county.childLevel).toBe('township');
      expect(county.path.map((p) => p.code)).toEqual([CITY]);
      const town = (
        await get<IndicatorChildrenView>(
          'stats',
          `/api/indicators/children?region=${school.township_code}&year=2023`,
        )
      ).body;
      expect(town.childLevel).toBe('school');
      expect(town.path.map((p) => p.code)).toEqual([CITY, HOME]);
      expect(town.children.map((c) => c.region.schoolId)).toContain(school.id);
      const leaf = (
        await get<IndicatorChildrenView>('stats', `/api/indicators/children?region=${school.code}`)
      ).body;
      expect(leaf).toMatchObject({ childLevel: null, children: [] });
      expect(leaf.path.map((p) => p.code)).toEqual([CITY, HOME, school.township_code]);
    });

    it('lists the large classes behind the large-class share, and the census rows behind 毛入园率', async () => {
      const r = await get<IndicatorRecordsView>(
        'stats',
        `/api/indicators/records?region=${HOME}&year=2023&indicator=large_class_share&stage=primary&pageSize=500`,
      );
      expect(r.status).toBe(200);
      expect(r.body.kind).toBe('classes');
      expect(r.body.total).toBe(r.body.figure.numerator);
      const size = r.body.columns.findIndex((c) => c.key === 'size');
      for (const row of r.body.rows) expect(Number(row[size])).toBeGreaterThanOrEqual(56);
      for (const row of r.body.rows) expect(Number(row[size])).toBeLessThanOrEqual(65);
      const ger = await get<IndicatorRecordsView>(
        'stats',
        `/api/indicators/records?region=${HOME}&year=2023&indicator=preschool_ger&pageSize=500`,
      );
      const pupils = ger.body.columns.findIndex((c) => c.key === 'pupils');
      expect(ger.body.rows.reduce((n, row) => n + Number(row[pupils]), 0)).toBe(ger.body.figure.numerator);
      expect(ger.body.rows[0][ger.body.columns.findIndex((c) => c.key === 'grade')]).toMatch(/班/);
      const page2 = await get<IndicatorRecordsView>(
        'stats',
        `/api/indicators/records?region=${HOME}&year=2023&indicator=preschool_ger&pageSize=5&page=2`,
      );
      expect(page2.body.rows).toEqual(ger.body.rows.slice(5, 10));
    });

    it('shows the pupils of the large classes from the register, masked as the role needs, and audits the read', async () => {
      const url = `/api/indicators/records?region=${school.code}&year=2025&indicator=large_class_share&stage=${school.stage}&source=register`;
      const masked = await get<IndicatorRecordsView>('stats', url);
      expect(masked.status).toBe(200);
      expect(masked.body.kind).toBe('pupils');
      expect(masked.body.masked).toBe(true);
      expect(masked.body.total).toBeGreaterThanOrEqual(56);
      const name = masked.body.columns.findIndex((c) => c.key === 'name');
      for (const row of masked.body.rows) expect(String(row[name])).toContain('*');
      const open = await get<IndicatorRecordsView>('welfare', url);
      expect(open.body.masked).toBe(false);
      expect(String(open.body.rows[0][name])).not.toContain('*');
      expect((await get('planner', url)).status).toBe(403);
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select(['action', 'username'])
        .where('action', '=', 'student.read')
        .execute();
      expect(audit.map((a) => a.username)).toEqual(expect.arrayContaining(['stats', 'welfare']));
      const region = await get<{ field: string }>(
        'stats',
        `/api/indicators/records?region=${HOME}&year=2025&indicator=preschool_ger&source=register`,
      );
      expect(region.status).toBe(400);
      expect(region.body.field).toBe('source');
    });

    it('names the field of a bad indicator or stage', async () => {
      const bad = await get<{ field: string }>('stats', '/api/indicators/records?indicator=nope');
      expect(bad.status).toBe(400);
      expect(bad.body.field).toBe('indicator');
      const noStage = await get<{ field: string; message: string }>(
        'stats',
        '/api/indicators/records?indicator=pupil_teacher_ratio',
        'en',
      );
      expect(noStage.body.field).toBe('stage');
      expect(noStage.body.message).toContain('stage');
      const unknown = await get<{ field: string }>('stats', '/api/indicators?region=999999');
      expect(unknown.status).toBe(404);
    });

    it('keeps a county clerk to their county and a school to itself', async () => {
      const own = await get<IndicatorRegionView>('clerk', '/api/indicators');
      expect(own.body.region.code).toBe(HOME);
      expect(own.body.path).toEqual([]);
      expect((await get('clerk', `/api/indicators?region=${OTHER}`)).status).toBe(404);
      expect((await get('clerk', `/api/indicators/children?region=${CITY}`)).status).toBe(404);
      expect((await get('clerk', `/api/indicators/export?view=region&region=${OTHER}`)).status).toBe(404);
      const towns = await get<IndicatorChildrenView>('clerk', '/api/indicators/children');
      expect(towns.body.childLevel).toBe('township');
      const mine = await get<IndicatorRegionView>('teacher', '/api/indicators');
      expect(mine.body.region).toMatchObject({ code: school.code, level: 'school', schoolId: school.id });
      expect((await get('teacher', `/api/indicators?region=${HOME}`)).status).toBe(404);
    });

    it('exports the views to Excel with Chinese headings; the register always masked', async () => {
      const region = await get('stats', `/api/indicators/export?view=region&region=${HOME}&year=2023`);
      expect(region.status).toBe(200);
      expect(region.raw.headers['content-type']).toContain('spreadsheetml');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(region.raw.rawPayload as unknown as ArrayBuffer);
      const sheet = book.worksheets[0];
      expect(sheet.getRow(1).getCell(1).value).toBe('指标');
      expect(sheet.rowCount).toBe(22);
      const children = await get(
        'stats',
        '/api/indicators/export?view=children&year=2023&indicator=preschool_ger',
      );
      const b2 = new ExcelJS.Workbook();
      await b2.xlsx.load(children.raw.rawPayload as unknown as ArrayBuffer);
      expect(b2.worksheets[0].getRow(1).getCell(3).value).toBe('学前三年毛入园率');
      const pupils = await get(
        'welfare',
        `/api/indicators/export?view=records&region=${school.code}&year=2025&indicator=large_class_share&stage=${school.stage}&source=register`,
      );
      const b3 = new ExcelJS.Workbook();
      await b3.xlsx.load(pupils.raw.rawPayload as unknown as ArrayBuffer);
      const names = b3.worksheets[0].getColumn(2).values.slice(2);
      expect(names.length).toBeGreaterThan(0);
      for (const n of names) expect(String(n)).toContain('*');
      const trend = await get('stats', `/api/indicators/export?view=trend&region=${HOME}`);
      expect(trend.status).toBe(200);
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'export.indicators')
        .execute();
      expect(audit.length).toBeGreaterThanOrEqual(4);
    });
  });
}
