import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/auth/users.ts';
import { buildDemoCity } from '../../src/demo/index.ts';
import { INDICATOR_GROUPS, INDICATORS } from '../../src/engines/indicators/definitions.ts';
import { computeIndicators, type IndicatorResult } from '../../src/engines/indicators/engine.ts';
import { targetFor, targetStatus } from '../../src/engines/indicators/targets.ts';
import { loadIndicatorInput } from '../../src/indicators/load.ts';
import { type AnnualReport, loadAnnualReport, writeAnnualReport } from '../../src/indicators/report.ts';
import { loadTargets } from '../../src/indicators/targets.ts';
import { buildApp } from '../../src/server/app.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { signInAs, TEST_PASSWORD, userOf } from '../support/api.ts';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import { find } from './fixture.ts';

const CITY = '411400';
const COUNTY = '411402';
/** A county of the city with no demo schools: its figures are not available. */
const EMPTY_COUNTY = '411403';
const GROUP_SHEETS = INDICATOR_GROUPS.map((g) => g.zh);
const STATUS_ZH = { met: '达标', close: '接近', not_met: '未达标' } as const;

type Row = (string | number | null)[];
/** Cell values by row, header first (exceljs reads an empty string as null). */
function rowsOf(ws: ExcelJS.Worksheet): Row[] {
  const out: Row[] = [];
  ws.eachRow((r) => out.push((r.values as Row).slice(1)));
  return out;
}

async function readBook(source: string | Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  if (typeof source === 'string') await book.xlsx.readFile(source);
  else await book.xlsx.load(source as unknown as ArrayBuffer);
  return book;
}

/** The row of one indicator, stage and region in a group sheet. */
function rowFor(ws: ExcelJS.Worksheet, name: string, stage: string, code: string) {
  let found: ExcelJS.Row | undefined;
  ws.eachRow((r, i) => {
    if (
      i > 1 &&
      r.getCell(1).value === name &&
      (r.getCell(2).value ?? '') === stage &&
      r.getCell(3).value === code
    )
      found = r;
  });
  if (!found) throw new Error(`no row ${name} ${stage} ${code} in ${ws.name}`);
  return found;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-report-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('indicator groups', () => {
  it('hold every indicator exactly once', () => {
    const grouped = INDICATOR_GROUPS.flatMap((g) => g.indicators);
    expect([...grouped].sort()).toEqual(INDICATORS.map((d) => d.id).sort());
  });
});

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`the annual report over the small demo on ${dialect}`, () => {
    let t: TestDatabase;
    let report: AnnualReport;
    let book: ExcelJS.Workbook;
    let county: IndicatorResult[];
    let county2022: IndicatorResult[];
    let city: IndicatorResult[];
    const file = path.join(tmp, `${dialect}.xlsx`);
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      await buildDemoCity(t.store, { scale: 'small', seed: 1 });
      report = await loadAnnualReport(t.store.db, CITY, 2023);
      // 17:30 UTC on New Year's Eve is already 1 January in Shanghai.
      await writeAnnualReport(report, file, { lang: 'zh', now: new Date('2023-12-31T17:30:00Z') });
      book = await readBook(file);
      const figures = async (code: string, y: number) =>
        computeIndicators(await loadIndicatorInput(t.store.db, { kind: 'region', code }, y));
      county = await figures(COUNTY, 2023);
      county2022 = await figures(COUNTY, 2022);
      city = await figures(CITY, 2023);
    }, 180_000);
    afterAll(async () => t?.drop());

    it('has a cover, one sheet per group and the definitions, with a frozen header row', () => {
      expect(book.worksheets.map((w) => w.name)).toEqual(['封面', ...GROUP_SHEETS, '指标说明']);
      for (const ws of book.worksheets) expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(book.getWorksheet('班额')!.pageSetup).toMatchObject({ orientation: 'landscape', fitToWidth: 1 });
      const cover = rowsOf(book.getWorksheet('封面')!).map((r) => r.join(' '));
      expect(cover).toContain('商丘市2023年基础教育统计指标年报');
      expect(cover.find((l) => l.startsWith('生成时间'))).toContain('2024-01-01 01:30（北京时间）');
      expect(cover.find((l) => l.startsWith('数据性质'))).toContain('演示数据');
      const header = rowsOf(book.getWorksheet('学前教育')!)[0];
      expect(header).toEqual([
        '指标',
        '学段',
        '区划代码',
        '区划',
        '数值',
        '分子',
        '分母',
        '目标',
        '达标情况',
        '目标依据',
        '2022 年数值',
        '比上年增减（百分点）',
      ]);
      const defs = rowsOf(book.getWorksheet('指标说明')!);
      expect(defs).toHaveLength(INDICATORS.length + 1);
      expect(defs.find((r) => r[1] === 'senior_ger')?.[5]).toContain('15–17');
    });

    it("lists the city's counties, then the city total, for each indicator", () => {
      const codes = rowsOf(book.getWorksheet('高中阶段')!)
        .slice(1)
        .map((r) => r[2]);
      expect(codes.at(-1)).toBe(CITY);
      expect(codes.slice(0, -1)).toEqual(report.parts.map((p) => p.code));
      expect(codes).toContain(COUNTY);
      expect(rowFor(book.getWorksheet('高中阶段')!, '高中阶段毛入学率', '', CITY).getCell(4).value).toBe(
        '商丘市（合计）',
      );
    });

    it("a county row carries the engine's figures for that county", () => {
      const r = find(county, 'preschool_ger');
      const row = rowFor(book.getWorksheet('学前教育')!, '学前三年毛入园率', '', COUNTY);
      expect(row.getCell(5).value).toBeCloseTo(r.value! / 100, 12);
      expect(row.getCell(5).numFmt).toBe('0.00%');
      expect(row.getCell(6).value).toBe(r.numerator);
      expect(row.getCell(7).value).toBe(r.denominator);
      const ptr = find(county, 'pupil_teacher_ratio', 'junior');
      const ptrRow = rowFor(book.getWorksheet('生师比')!, '生师比', '初中', COUNTY);
      expect(ptrRow.getCell(5).value).toBeCloseTo(ptr.value!, 12);
      expect(ptrRow.getCell(5).numFmt).toBe('0.0');
      expect(ptrRow.getCell(7).value).toBeCloseTo(ptr.denominator!, 9);
    });

    it("the total row is the city's own computation, not a sum or mean of the county rates", () => {
      const r = find(city, 'after_school_participation');
      const ws = book.getWorksheet('课后服务与集团化')!;
      const total = rowFor(ws, '课后服务参与率', '', CITY);
      expect(total.getCell(5).value).toBeCloseTo(r.numerator / r.denominator!, 12);
      expect(total.getCell(6).value).toBe(r.numerator);
      expect(total.getCell(7).value).toBe(r.denominator);
      const rates = report.parts
        .map((p) => rowFor(ws, '课后服务参与率', '', p.code).getCell(5).value)
        .filter((v): v is number => typeof v === 'number');
      expect(rates.length).toBeGreaterThan(1);
      const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
      expect(Math.abs((total.getCell(5).value as number) - mean)).toBeGreaterThan(1e-6);
    });

    it('gives the Y−1 value and the change in points', () => {
      const now = find(county, 'after_school_participation');
      const before = find(county2022, 'after_school_participation');
      const row = rowFor(book.getWorksheet('课后服务与集团化')!, '课后服务参与率', '', COUNTY);
      expect(row.getCell(11).value).toBeCloseTo(before.value! / 100, 12);
      expect(row.getCell(12).value).toBeCloseTo(now.value! - before.value!, 9);
      expect(row.getCell(12).value).not.toBe(0);
    });

    it('states why a figure is not available, never 0', () => {
      // The demo city has no schools and no population in this county.
      const empty = rowFor(book.getWorksheet('学前教育')!, '学前三年毛入园率', '', EMPTY_COUNTY);
      expect(empty.getCell(5).value).toBe('无法计算：缺少该年的分年龄人口');
      expect(empty.getCell(7).value).toBe('无法计算：缺少该年的分年龄人口');
      expect(empty.getCell(11).value).toBe('无法计算：缺少该年的分年龄人口');
      expect(empty.getCell(12).value).toBe('无法比较：本年或上年无数值');
      const zero = rowFor(book.getWorksheet('课后服务与集团化')!, '课后服务参与率', '', EMPTY_COUNTY);
      expect(zero.getCell(5).value).toBe('无法计算：分母为零');
      for (const ws of book.worksheets.slice(1, -1))
        ws.eachRow((r, i) => {
          if (i === 1) return;
          const v = r.getCell(5).value;
          if (typeof v === 'string') expect(v).toMatch(/^无法计算：.+/);
        });
    });

    it('shows each target and its status as the targets engine judges it', async () => {
      const targets = await loadTargets(t.store.db, [CITY], 2023);
      const ws = book.getWorksheet('学前教育')!;
      for (const id of ['preschool_ger', 'inclusive_kg_coverage', 'public_kg_share']) {
        const target = targetFor(targets.get(CITY)!, id, null)!;
        const r = find(city, id);
        const row = rowFor(ws, INDICATORS.find((d) => d.id === id)!.zh, '', CITY);
        expect(row.getCell(8).value).toBe(`≥ ${target.threshold}%`);
        expect(row.getCell(9).value).toBe(STATUS_ZH[targetStatus(r.value, target)!]);
        expect(row.getCell(10).value).toBe(target.source);
      }
      const noTarget = rowFor(book.getWorksheet('生师比')!, '生师比', '小学', CITY);
      expect(noTarget.getCell(9).value).toBe('未设目标');
    });

    it.runIf(dialect === 'sqlite')(
      'writes English headings with lang en, and no demo note on real data',
      async () => {
        const en = path.join(tmp, 'en.xlsx');
        await writeAnnualReport({ ...report, demo: null }, en, { lang: 'en' });
        const b = await readBook(en);
        expect(b.worksheets.map((w) => w.name)).toEqual([
          'Cover',
          ...INDICATOR_GROUPS.map((g) => g.en),
          'Definitions',
        ]);
        expect(rowsOf(b.getWorksheet('Pre-school')!)[0].slice(0, 5)).toEqual([
          'Indicator',
          'Stage',
          'Region code',
          'Region',
          'Value',
        ]);
        const cover = rowsOf(b.getWorksheet('Cover')!);
        expect(cover.find((r) => r[0] === 'Data')?.[1]).toBe("The bureau's own data, entered or imported");
        const na = rowFor(b.getWorksheet('Pre-school')!, 'Gross pre-school enrolment rate', '', EMPTY_COUNTY);
        expect(na.getCell(5).value).toBe('not available: population by age is missing for the year');
      },
    );

    it('makes a county report of its townships, each the engine over that township', async () => {
      const r = await loadAnnualReport(t.store.db, COUNTY, 2023);
      expect(r.parts.length).toBeGreaterThan(1);
      expect(r.parts.every((p) => p.code.startsWith(COUNTY) && p.code.length === 9)).toBe(true);
      const township = await t.store.db
        .selectFrom('schools')
        .select('township_code')
        .where('county_code', '=', COUNTY)
        .where('school_type', '=', 'primary')
        .where('township_code', 'is not', null)
        .executeTakeFirstOrThrow();
      const own = computeIndicators(
        await loadIndicatorInput(t.store.db, { kind: 'region', code: township.township_code! }, 2023),
      );
      const out = path.join(tmp, `${dialect}-county.xlsx`);
      await writeAnnualReport(r, out, { lang: 'zh' });
      const ws = (await readBook(out)).getWorksheet('课后服务与集团化')!;
      const row = rowFor(ws, '课后服务参与率', '', township.township_code!);
      expect(row.getCell(6).value).toBe(find(own, 'after_school_participation').numerator);
      expect(row.getCell(7).value).toBe(find(own, 'after_school_participation').denominator);
      expect(rowFor(ws, '课后服务参与率', '', COUNTY).getCell(4).value).toBe('梁园区（合计）');
    }, 180_000);

    it.runIf(dialect === 'sqlite')(
      'bin/eduatlas report and indicators --format xlsx write the workbooks',
      async () => {
        const out = path.join(tmp, 'cli.xlsx');
        const r = runCli(['report', '--region', CITY, '--year', '2023', '--out', out], {
          DATABASE_URL: t.url,
        });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect((await readBook(out)).worksheets.map((w) => w.name)).toEqual([
          '封面',
          ...GROUP_SHEETS,
          '指标说明',
        ]);
        const en = runCli(
          ['report', '--region', CITY, '--year', '2023', '--lang', 'en'],
          { DATABASE_URL: t.url },
          tmp,
        );
        expect(en.status).toBe(0);
        expect(fs.existsSync(path.join(tmp, 'annual-report-411400-2023.xlsx'))).toBe(true);
        const bad = runCli(['report', '--region', '999999', '--year', '2023'], { DATABASE_URL: t.url });
        expect(bad.status).toBe(1);
        expect(bad.stderr.trim().split('\n')).toHaveLength(1);
        expect(bad.stderr).toContain('--region');
        const township = runCli(['report', '--region', `${COUNTY}001`, '--year', '2023'], {
          DATABASE_URL: t.url,
        });
        expect(township.stderr).toContain('没有下级区划');
        const empty = runCli(['report', '--region', CITY, '--year', '2031'], { DATABASE_URL: t.url });
        expect(empty.status).toBe(1);
        expect(empty.stderr).toContain('--year');
        expect(empty.stderr).toContain('没有 2031 年的基础统计（有数据的年份：2013–2025）');

        const sheet = path.join(tmp, 'indicators.xlsx');
        const x = runCli(
          ['indicators', '--region', COUNTY, '--year', '2023', '--format', 'xlsx', '--out', sheet],
          {
            DATABASE_URL: t.url,
          },
        );
        expect(x.status).toBe(0);
        const rows = rowsOf((await readBook(sheet)).worksheets[0]);
        expect(rows[0]).toEqual(['指标代码', '指标名称', '学段', '数值', '分子', '分母', '单位', '说明']);
        expect(rows).toHaveLength(county.length + 1);
        const ger = rows.find((row) => row[0] === 'preschool_ger')!;
        expect(ger[1]).toBe('学前三年毛入园率');
        expect(ger[3]).toBeCloseTo(find(county, 'preschool_ger').value! / 100, 12);
        const audit = await t.store.db
          .selectFrom('audit_log')
          .select('action')
          .where('action', 'in', ['export.indicator_report', 'export.indicators'])
          .execute();
        expect(audit.map((a) => a.action).sort()).toEqual([
          'export.indicator_report',
          'export.indicator_report',
          'export.indicators',
        ]);
      },
    );

    it("downloads over the API within the user's scope, audited", async () => {
      for (const [role, regionCode] of [
        ['city_statistics', CITY],
        ['county_staff', COUNTY],
      ] as const)
        await createUser(t.store.db, {
          username: userOf(role),
          displayName: role,
          password: TEST_PASSWORD,
          role,
          regionCode,
        });
      const app = await buildApp(t.store, { logger: false, webDir: '/nonexistent' });
      try {
        const cityUser = await signInAs(app, 'city_statistics');
        const r = await app.inject({
          url: `/api/indicators/report?region=${CITY}&year=2023`,
          headers: { cookie: cityUser.cookie },
        });
        expect(r.statusCode).toBe(200);
        expect(r.headers['content-type']).toContain('spreadsheetml');
        expect(r.headers['content-disposition']).toContain(
          encodeURIComponent('商丘市2023年统计指标年报.xlsx'),
        );
        const got = await readBook(r.rawPayload);
        const row = rowFor(got.getWorksheet('学前教育')!, '学前三年毛入园率', '', COUNTY);
        expect(row.getCell(6).value).toBe(find(county, 'preschool_ger').numerator);
        const en = await app.inject({
          url: `/api/indicators/report?region=${CITY}&year=2023&lang=en`,
          headers: { cookie: cityUser.cookie },
        });
        expect((await readBook(en.rawPayload)).worksheets[0].name).toBe('Cover');
        const unknown = await app.inject({
          url: '/api/indicators/report?region=411499&year=2023',
          headers: { cookie: cityUser.cookie },
        });
        expect(unknown.statusCode).toBe(404);

        const clerk = await signInAs(app, 'county_staff');
        const own = await app.inject({
          url: `/api/indicators/report?region=${COUNTY}&year=2023`,
          headers: { cookie: clerk.cookie },
        });
        expect(own.statusCode).toBe(200);
        const others = await app.inject({
          url: `/api/indicators/report?region=${CITY}&year=2023`,
          headers: { cookie: clerk.cookie },
        });
        expect(others.statusCode).toBe(404);
        const audit = await t.store.db
          .selectFrom('audit_log')
          .select(['username', 'resource_id', 'county_code'])
          .where('action', '=', 'export.indicator_report')
          .where('role', '!=', 'cli')
          .orderBy('id')
          .execute();
        expect(audit).toEqual([
          { username: userOf('city_statistics'), resource_id: CITY, county_code: null },
          { username: userOf('city_statistics'), resource_id: CITY, county_code: null },
          { username: userOf('county_staff'), resource_id: COUNTY, county_code: COUNTY },
        ]);
      } finally {
        await app.close();
      }
    });
  });
}
