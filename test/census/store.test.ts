import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  derivedIndicatorInput,
  deriveStoredCensus,
  PUPIL_COLUMNS,
  pupilGroupsQuery,
  resolveCensusRegion,
  type StoredDerivation,
  writeDerivedCensus,
} from '../../src/census/derive.ts';
import { buildDemoCity } from '../../src/demo/index.ts';
import { CENSUS_COUNT_COLUMNS } from '../../src/domain/census-counts.ts';
import { deriveCensus } from '../../src/engines/census/derive.ts';
import { computeIndicators, INDICATORS, type IndicatorResult } from '../../src/engines/indicators/index.ts';
import { loadIndicatorInput } from '../../src/indicators/load.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import { paperRegisters } from './fixture.ts';

/** The indicators a one-year register cannot give: retention needs graduates of summer Y and nine earlier censuses. */
const NOT_DERIVABLE = ['compulsory_retention', 'compulsory_retention_raw'];
const FLOWS = ['entrants', 'transfers_in', 'transfers_out', 'graduates'];
const actor = { userId: null, username: 'test', role: 'cli', ip: null };
const key = (r: { id: string; stage: string | null }) => `${r.id}[${r.stage ?? ''}]`;
/** Every indicator the engine reports, per stage where it has stages. */
const INDICATOR_KEYS = INDICATORS.flatMap((d) =>
  d.stages.length === 0
    ? [key({ id: d.id, stage: null })]
    : d.stages.map((stage) => key({ id: d.id, stage })),
);

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(
    `census derived from the small demo's registers on ${dialect}`,
    () => {
      let t: TestDatabase;
      let all: StoredDerivation;
      beforeAll(async () => {
        t = await createTestDatabase(dialect);
        await seedRegions(t.store.db);
        await buildDemoCity(t.store, { scale: 'small', seed: 1 });
        all = await deriveStoredCensus(t.store.db, 2025, await resolveCensusRegion(t.store.db, undefined));
      }, 120_000);
      afterAll(async () => t?.drop());
      const db = () => t.store.db;

      it('collapses the pupil register in one GROUP BY over its columns', () => {
        const q = pupilGroupsQuery(db(), 2025, { kind: 'counties', counties: ['411423'] }).compile();
        const p = dialect === 'sqlite' ? ['?', '?'] : ['$1', '$2'];
        const cols =
          '"school_id", "grade", "class_no", "sex", "migrant", "purchased_place", "left_behind", "disabled", "disabled_placement", "boarder", "after_school"';
        expect(q.sql).toBe(
          `select ${cols}, count(*) as "n" from "students" where "year" = ${p[0]} and "school_id" in (select "schools"."id" from "schools" where "schools"."county_code" in (${p[1]})) group by ${cols}`,
        );
      });

      it('reproduces the stored 2025 census, classes and teachers; only the flows are not derivable', async () => {
        const d = all.derived;
        expect(d.not_derivable.map((n) => n.field)).toEqual(FLOWS);
        const stored = await db().selectFrom('census').selectAll().where('year', '=', 2025).execute();
        const byKey = new Map(stored.map((r) => [`${r.school_id}:${r.grade}`, r]));
        expect(d.census.length).toBe(stored.length);
        for (const r of d.census) {
          const s = byKey.get(`${r.school_id}:${r.grade}`)!;
          expect(s, `${r.school_id}:${r.grade}`).toBeDefined();
          for (const c of CENSUS_COUNT_COLUMNS) {
            if (FLOWS.includes(c)) expect(r[c]).toBeNull();
            else expect(r[c], `${r.school_id}:${r.grade}.${c}`).toBe(s[c]);
          }
        }
        const classes = await db()
          .selectFrom('classes')
          .select(['school_id', 'grade', 'class_no', 'size'])
          .where('year', '=', 2025)
          .execute();
        const size = new Map(classes.map((c) => [`${c.school_id}:${c.grade}:${c.class_no}`, c.size]));
        expect(d.classes!.length).toBe(classes.length);
        for (const c of d.classes!) expect(c.size).toBe(size.get(`${c.school_id}:${c.grade}:${c.class_no}`));
        const ct = await db().selectFrom('census_teachers').selectAll().where('year', '=', 2025).execute();
        const ft = new Map(ct.map((c) => [`${c.school_id}:${c.subject}`, c.full_time_teachers]));
        expect(d.census_teachers!.length).toBe(ct.length);
        for (const c of d.census_teachers!)
          expect(c.full_time_teachers).toBe(ft.get(`${c.school_id}:${c.subject}`));
        expect(d.pupil_records).toBe(33_324);
        expect(all.otherYearRecords).toBe(0);
      });

      describe.each([
        ['the city', null],
        ['a county', '411423'],
      ])('indicators of %s from the derived and from the stored 2025 census', (_name, code) => {
        const results: { registers: IndicatorResult[]; census: IndicatorResult[] } = {
          registers: [],
          census: [],
        };
        beforeAll(async () => {
          const d =
            code === null ? all : await deriveStoredCensus(db(), 2025, await resolveCensusRegion(db(), code));
          results.registers = computeIndicators(await derivedIndicatorInput(db(), d));
          results.census = computeIndicators(
            await loadIndicatorInput(db(), code === null ? { kind: 'all' } : { kind: 'region', code }, 2025),
          );
        });
        const pick = (rs: IndicatorResult[], k: string) => rs.find((r) => key(r) === k)!;

        it.each(INDICATOR_KEYS.filter((k) => !NOT_DERIVABLE.some((id) => k.startsWith(`${id}[`))))(
          '%s is identical',
          (k) => {
            const c = pick(results.census, k);
            expect(c).toBeDefined();
            expect(pick(results.registers, k)).toEqual(c);
            if (!k.startsWith('large_class') && !k.startsWith('super_large'))
              expect(c.value, k).not.toBeNull();
          },
        );

        it.each(NOT_DERIVABLE)(
          '%s is not derivable: it needs the flows and the cohort’s earlier census',
          (id) => {
            expect(pick(results.census, `${id}[]`).value).not.toBeNull();
            const r = pick(results.registers, `${id}[]`);
            expect(r.value).toBeNull();
            expect(r.reason?.en).toMatch(/cohort/);
          },
        );
      });

      it('groups in SQL exactly as the engine groups the records one by one', async () => {
        const records = await db()
          .selectFrom('students')
          .select([...PUPIL_COLUMNS])
          .where('year', '=', 2025)
          .execute();
        const schools = await db()
          .selectFrom('schools')
          .select(['id', 'code', 'county_code', 'school_type', 'ownership'])
          .execute();
        const one = deriveCensus({
          year: 2025,
          schools: schools as never,
          pupils: records.map((r) => ({ ...r, disabled_placement: r.disabled_placement as never })) as never,
          teachers: null,
        });
        expect(one.census).toEqual(all.derived.census);
        expect(one.classes).toEqual(all.derived.classes);
      });

      it('has a 2023 disabled-children register now, so the 2023 enrolment rate is available', async () => {
        const r = computeIndicators(await loadIndicatorInput(db(), { kind: 'all' }, 2023));
        const rate = r.find((x) => x.id === 'disabled_enrollment_rate')!;
        expect(rate.value).not.toBeNull();
        expect(rate.value!).toBeGreaterThan(95);
        expect(rate.value!).toBeLessThan(99.5);
      });

      it('refuses to overwrite a stored census without replace, and leaves it unchanged', async () => {
        const before = await db().selectFrom('census').selectAll().where('year', '=', 2025).execute();
        await expect(writeDerivedCensus(db(), all, { actor })).rejects.toMatchObject({
          code: 'census.exists',
          field: '--replace',
        });
        expect(await db().selectFrom('census').selectAll().where('year', '=', 2025).execute()).toEqual(
          before,
        );
      });

      it('replaces a county’s census in one audited transaction, keeping the flows it cannot derive', async () => {
        const sorted = <T extends { school_id: number; grade: string }>(rows: T[]) =>
          [...rows].sort((a, b) => a.school_id - b.school_id || (a.grade < b.grade ? -1 : 1));
        const read = async () =>
          sorted(await db().selectFrom('census').selectAll().where('year', '=', 2025).execute());
        const before = await read();
        const county = await deriveStoredCensus(db(), 2025, await resolveCensusRegion(db(), '411423'));
        const w = await writeDerivedCensus(db(), county, { replace: true, actor });
        expect(w.kept).toEqual(FLOWS);
        expect(w.replaced.census).toBe(w.written.census);
        expect(w.written.census).toBe(before.filter((r) => r.county_code === '411423').length);
        expect(await read()).toEqual(before);
        const audit = await db()
          .selectFrom('audit_log')
          .selectAll()
          .where('action', '=', 'census.derive')
          .executeTakeFirstOrThrow();
        expect(audit.county_code).toBe('411423');
        expect(JSON.parse(audit.detail!)).toMatchObject({ year: 2025, region: '411423', kept: FLOWS });
      });

      it('keeps a stored row the registers no longer have pupils for, with its flows and no pupils', async () => {
        const county = await deriveStoredCensus(db(), 2025, await resolveCensusRegion(db(), '411423'));
        const g6 = await db()
          .selectFrom('census')
          .selectAll()
          .where('year', '=', 2025)
          .where('county_code', '=', '411423')
          .where('grade', '=', 'G6')
          .where('graduates', '>', 0)
          .orderBy('school_id')
          .executeTakeFirstOrThrow();
        // As if the register had no pupils in that grade now.
        county.derived.census = county.derived.census.filter(
          (r) => !(r.school_id === g6.school_id && r.grade === 'G6'),
        );
        const w = await writeDerivedCensus(db(), county, { replace: true, actor });
        expect(w.written.census).toBe(county.derived.census.length + 1);
        const after = await db()
          .selectFrom('census')
          .selectAll()
          .where('year', '=', 2025)
          .where('school_id', '=', g6.school_id)
          .where('grade', '=', 'G6')
          .executeTakeFirstOrThrow();
        expect(after).toMatchObject({
          pupils_male: 0,
          pupils_female: 0,
          migrant: 0,
          graduates: g6.graduates,
        });
        expect(after.transfers_out).toBe(g6.transfers_out);
        // Put the pupils back for the tests after this one.
        await writeDerivedCensus(
          db(),
          await deriveStoredCensus(db(), 2025, await resolveCensusRegion(db(), '411423')),
          { replace: true, actor },
        );
        const back = await db()
          .selectFrom('census')
          .selectAll()
          .where('year', '=', 2025)
          .where('school_id', '=', g6.school_id)
          .where('grade', '=', 'G6')
          .executeTakeFirstOrThrow();
        expect(back).toEqual(g6);
      });

      it('writes a census where none is stored; the flows it cannot derive are 0 and reported kept', async () => {
        await db().deleteFrom('census').where('year', '=', 2025).execute();
        await db().deleteFrom('census_teachers').where('year', '=', 2025).execute();
        await db().deleteFrom('classes').where('year', '=', 2025).execute();
        const w = await writeDerivedCensus(db(), all, { actor });
        expect(w.replaced).toEqual({ census: 0, census_teachers: 0, classes: 0 });
        expect(w.written.classes).toBe(all.derived.classes!.length);
        const rows = await db().selectFrom('census').selectAll().where('year', '=', 2025).execute();
        expect(rows.length).toBe(all.derived.census.length);
        expect(rows.every((r) => r.graduates === 0 && r.synthetic === 1)).toBe(true);
      });

      it('names the school and grade of register rows the engine rejects', async () => {
        const k = await db()
          .selectFrom('schools')
          .select(['id', 'code', 'county_code'])
          .where('school_type', '=', 'kindergarten')
          .orderBy('id')
          .executeTakeFirstOrThrow();
        await db()
          .insertInto('students')
          .values({
            county_code: k.county_code,
            school_id: k.id,
            student_no: 'Ltest-wrong-grade',
            name: '测试',
            sex: 'F',
            birth_date: '2015-03-01',
            year: 2025,
            grade: 'G5',
          })
          .execute();
        const err = await deriveStoredCensus(db(), 2025, await resolveCensusRegion(db(), undefined)).catch(
          (e) => e,
        );
        expect(err.field).toBe('students.grade');
        expect(err.message).toContain(`school ${k.code}, grade G5`);
        await db().deleteFrom('students').where('student_no', '=', 'Ltest-wrong-grade').execute();
        await expect(resolveCensusRegion(db(), '999999')).rejects.toMatchObject({ field: '--region' });
        await expect(
          deriveStoredCensus(db(), 2024, await resolveCensusRegion(db(), undefined)),
        ).rejects.toMatchObject({ code: 'census.no_register', field: '--year' });
      });

      it.runIf(dialect === 'sqlite')(
        'bin/eduatlas census derive: summary, --out for indicators solve, --write refused',
        () => {
          const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-census-'));
          try {
            const out = path.join(dir, 'derived.json');
            const r = runCli(['census', 'derive', '--year', '2025', '--region', '411400', '--out', out], {
              DATABASE_URL: t.url,
            });
            expect(r.status).toBe(0);
            expect(r.stdout).toContain('33,324 pupil records');
            expect(r.stdout).toContain('graduates:');
            expect(r.stderr).toContain('census derive');
            const solved = runCli(['indicators', 'solve', out]);
            expect(solved.status).toBe(0);
            const json = JSON.parse(solved.stdout) as IndicatorResult[];
            expect(json.find((x) => x.id === 'after_school_participation')?.value).toBeGreaterThan(50);
            expect(JSON.parse(fs.readFileSync(out, 'utf8')).derivation.not_derivable).toHaveLength(4);
            const refused = runCli(['census', 'derive', '--year', '2025', '--write'], {
              DATABASE_URL: t.url,
            });
            expect(refused.status).toBe(1);
            expect(refused.stderr).toContain('--replace');
            const replaced = runCli(['census', 'derive', '--year', '2025', '--write', '--replace'], {
              DATABASE_URL: t.url,
            });
            expect(replaced.status).toBe(0);
            expect(replaced.stdout).toContain('kept as stored');
            const bad = runCli(['census', 'derive', '--year', '2025', '--replace'], { DATABASE_URL: t.url });
            expect(bad.status).toBe(1);
            expect(bad.stderr).toContain('--replace only goes with --write');
          } finally {
            fs.rmSync(dir, { recursive: true, force: true });
          }
        },
      );
    },
  );
}

describe('bin/eduatlas census solve', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-census-solve-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('derives the paper registers from a JSON file, as the engine does', () => {
    const file = path.join(dir, 'registers.json');
    fs.writeFileSync(file, JSON.stringify(paperRegisters()));
    const r = runCli(['census', 'solve', file]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(deriveCensus(paperRegisters()));
  });

  it('writes the derived census to --out', () => {
    const file = path.join(dir, 'registers-out.json');
    const out = path.join(dir, 'census-out.json');
    fs.writeFileSync(file, JSON.stringify({ ...paperRegisters(), previous_pupils: null }));
    const r = runCli(['census', 'solve', file, '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    const d = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(d.not_derivable.map((x: { field: string }) => x.field)).toEqual(FLOWS);
    expect(d.census[0].graduates).toBeNull();
  });

  it('names the JSON path of a bad row in one line', () => {
    const bad = paperRegisters();
    bad.pupils[6] = { ...bad.pupils[6], school_id: 42 };
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify(bad));
    const r = runCli(['census', 'solve', file]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('pupils[6].school_id');
  });
});
