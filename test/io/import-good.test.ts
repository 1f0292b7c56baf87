import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HENAN_REGIONS } from '../../src/domain/regions/index.ts';
import { importFile } from '../../src/io/import.ts';
import { birthsKind } from '../../src/io/kinds/births.ts';
import type { ImportKind } from '../../src/io/spec.ts';
import { listSchools } from '../../src/registry/schools.ts';
import { countRows } from '../../src/store/bulk.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import { GOOD, LOAD_ORDER, load, SCHOOLS, snapshot, tempDir, writeCsv } from './support.ts';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`good files on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
    });
    afterAll(() => t?.drop());

    it('imports schools: creates the new township once, expands capacity per stage to every grade', async () => {
      const r = await load(t.store.db, 'schools', SCHOOLS, dir);
      expect(r).toMatchObject({ rows: 6, inserted: 6, updated: 0, unchanged: 0, written: true });
      expect(r.notes[0].zh).toContain('测试新乡镇');
      const township = await t.store.db
        .selectFrom('regions')
        .selectAll()
        .where('code', '=', '411402990')
        .execute();
      expect(township).toEqual([
        { code: '411402990', name: '测试新乡镇', parent_code: '411402', level: 'township' },
      ]);
      const cap = await t.store.db
        .selectFrom('school_capacity')
        .innerJoin('schools', 'schools.id', 'school_capacity.school_id')
        .select(['schools.code', 'grade', 'planned_classes', 'standard_class_size'])
        .execute();
      const of = (code: string) =>
        cap
          .filter((c) => c.code === code)
          .map((c) => `${c.grade}:${c.planned_classes}x${c.standard_class_size}`)
          .sort();
      // nine-year school: primary 2 classes of 40, junior 3 classes of the default 50
      expect(of('4114020002')).toEqual(
        ['G1', 'G2', 'G3', 'G4', 'G5', 'G6']
          .map((g) => `${g}:2x40`)
          .concat(['G7:3x50', 'G8:3x50', 'G9:3x50'])
          .sort(),
      );
      expect(of('4114020003')).toEqual(['K1:3x30', 'K2:3x30', 'K3:3x30']);
      expect(of('4114020005')).toEqual(['G10:12x50', 'G11:12x50', 'G12:12x50']);
      expect(of('4114020004')).toHaveLength(9);
      const kg = await t.store.db
        .selectFrom('schools')
        .selectAll()
        .where('code', '=', '4114020003')
        .executeTakeFirstOrThrow();
      expect(kg).toMatchObject({
        school_type: 'kindergarten',
        ownership: 'private',
        inclusive: 1,
        locale: 'town',
        township_code: '411402990',
      });
      const p = await t.store.db
        .selectFrom('schools')
        .selectAll()
        .where('code', '=', '4114020001')
        .executeTakeFirstOrThrow();
      expect(p).toMatchObject({ county_code: '411402', lng: 115.65, lat: 34.41, boarding: 0, address: null });
    });

    it('imports a good file of every other kind', async () => {
      for (const kind of LOAD_ORDER) {
        const r = await load(t.store.db, kind, GOOD[kind], dir);
        expect(r, kind).toMatchObject({
          rows: GOOD[kind].length - 1,
          inserted: GOOD[kind].length - 1,
          written: true,
        });
      }
      const db = t.store.db;
      expect(await countRows(db, 'catchments')).toBe(4);
      expect(
        await db
          .selectFrom('communities')
          .select(['code', 'name', 'county_code', 'township_code'])
          .orderBy('code')
          .execute(),
      ).toEqual([
        { code: 'C001', name: '平原小区', county_code: '411402', township_code: '411402001' },
        { code: 'C002', name: '刘口村', county_code: '411402', township_code: '411402990' },
      ]);
      const census = await db
        .selectFrom('census')
        .selectAll()
        .where('grade', '=', 'G2')
        .executeTakeFirstOrThrow();
      expect(census).toMatchObject({
        pupils_male: 44,
        pupils_female: 45,
        migrant: 9,
        entrants: 0,
        graduates: 0,
      });
      const li = await db
        .selectFrom('students')
        .selectAll()
        .where('name', '=', '李二')
        .executeTakeFirstOrThrow();
      expect(li).toMatchObject({
        sex: 'F',
        birth_date: '2019-03-15',
        grade: 'G1',
        class_no: 2,
        migrant: 0,
        county_code: '411402',
      });
      const zhao = await db
        .selectFrom('students')
        .selectAll()
        .where('student_no', '=', 'L2025000003')
        .executeTakeFirstOrThrow();
      expect(zhao).toMatchObject({ id_number: null, birth_date: '2017-09-01', grade: 'G2', left_behind: 1 });
      const classes = await db
        .selectFrom('classes')
        .select(['grade', 'class_no', 'size'])
        .orderBy('id')
        .execute();
      expect(classes).toEqual([
        { grade: 'G1', class_no: 1, size: 45 },
        { grade: 'G1', class_no: 2, size: 44 },
        { grade: 'G7', class_no: 1, size: 50 },
        { grade: 'G7', class_no: 2, size: 48 },
      ]);
      const subjects = await db.selectFrom('census_teachers').select('subject').orderBy('subject').execute();
      expect(subjects.map((s) => s.subject)).toEqual(['chinese', 'english', 'math', 'pe']);
      const zhou = await db
        .selectFrom('teachers')
        .selectAll()
        .where('teacher_no', '=', 'T002')
        .executeTakeFirstOrThrow();
      expect(zhou).toMatchObject({
        full_time: 1,
        in_establishment: 0,
        title: null,
        hire_year: 2013,
        school_since_year: null,
      });
      const wu = await db
        .selectFrom('teachers')
        .selectAll()
        .where('teacher_no', '=', 'T003')
        .executeTakeFirstOrThrow();
      expect(wu).toMatchObject({ sex: 'M', birth_date: '1978-11-20', subject: 'english' });
      const dis = await db.selectFrom('disabled_children').selectAll().orderBy('register_no').execute();
      expect(
        dis.map((d) => [d.register_no, d.disability_type, d.placement, d.school_id === null, d.birth_date]),
      ).toEqual([
        ['CJ001', 'intellectual', 'regular_class', false, '2015-03-07'],
        ['CJ002', 'hearing', 'special_school', false, '2012-06-01'],
        ['CJ003', 'physical', 'not_enrolled', true, '2011-01-09'],
      ]);
      const h = await db.selectFrom('housing').selectAll().orderBy('code').execute();
      expect(h.map((x) => [x.code, x.county_code, x.community_code, x.status])).toEqual([
        ['H001', '411402', 'C001', 'under_construction'],
        ['H002', '411402', null, 'planned'],
      ]);
      const pop = await db
        .selectFrom('population')
        .selectAll()
        .where('region_code', '=', '411402001')
        .executeTakeFirstOrThrow();
      expect(pop).toMatchObject({ county_code: '411402', age: 6, persons: 800 });
    });

    it('keeps the school list’s figures: pupils of the newest census, classes of the newest year', async () => {
      const db = t.store.db;
      const figures = await db
        .selectFrom('school_figures as f')
        .innerJoin('schools as s', 's.id', 'f.school_id')
        .select(['s.code', 'f.pupils', 'f.classes'])
        .orderBy('s.code')
        .execute();
      const classes = await db
        .selectFrom('classes as c')
        .innerJoin('schools as s', 's.id', 'c.school_id')
        .select(['s.code', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('s.code')
        .execute();
      const classesOf = (code: string) => Number(classes.find((c) => c.code === code)?.n ?? 0);
      expect(figures.map((f) => [f.code, Number(f.pupils), Number(f.classes)])).toEqual(
        SCHOOLS.slice(1).map((r) => {
          const code = String(r[0]);
          const pupils = GOOD.census
            .slice(1)
            .filter((c) => c[0] === code)
            .reduce((n, c) => n + Number(c[3]) + Number(c[4]), 0);
          return [code, pupils, classesOf(code)];
        }),
      );
      const list = await listSchools(
        db,
        { kind: 'all' },
        { sort: 'pupils', order: 'desc', limit: 3, offset: 0 },
      );
      expect(list.rows.map((r) => [r.code, r.pupils])).toEqual([
        ['4114020001', 178],
        ['4114020002', 138],
        ['4114020003', 78],
      ]);
    });

    it('re-importing every file is a no-op: nothing inserted or updated, every table as it was', async () => {
      const before = await snapshot(t.store.db);
      const stamps = await t.store.db
        .selectFrom('schools')
        .select(['code', 'updated_at'])
        .orderBy('code')
        .execute();
      const schoolsAgain = await load(t.store.db, 'schools', SCHOOLS, dir);
      expect(schoolsAgain).toMatchObject({ inserted: 0, updated: 0, unchanged: 6, written: false });
      for (const kind of LOAD_ORDER) {
        const r = await load(t.store.db, kind, GOOD[kind], dir);
        expect(r, kind).toMatchObject({
          inserted: 0,
          updated: 0,
          unchanged: GOOD[kind].length - 1,
          written: false,
        });
      }
      expect(await snapshot(t.store.db)).toEqual(before);
      // not even the schools' updated_at moved
      expect(
        await t.store.db.selectFrom('schools').select(['code', 'updated_at']).orderBy('code').execute(),
      ).toEqual(stamps);
    });

    it('updates by the natural key: a changed row is updated, the others stay', async () => {
      const rows = GOOD.births.map((r) => [...r]);
      rows[2][2] = 5650;
      const r = await load(t.store.db, 'births', rows, dir);
      expect(r).toMatchObject({ inserted: 0, updated: 1, unchanged: 2, written: true });
      expect(await countRows(t.store.db, 'births')).toBe(3);
      const b = await t.store.db
        .selectFrom('births')
        .select('births')
        .where('year', '=', 2024)
        .where('region_code', '=', '411402')
        .executeTakeFirstOrThrow();
      expect(b.births).toBe(5650);
    });

    it('a pupil is found by the ID number: a new 学籍号 with blank ID keeps the ID stored', async () => {
      const wang = GOOD.students[1];
      const file = writeCsv(path.join(dir, 'wang.csv'), [
        ['学校标识码', '学籍号', '身份证号', '姓名', '学年', '年级', '班号'],
        [wang[0], wang[1], null, '王一', 2025, '一年级', 3],
      ]);
      const r = await importFile(t.store.db, 'students', file);
      expect(r).toMatchObject({ updated: 1, inserted: 0, errorCount: 0 });
      const row = await t.store.db
        .selectFrom('students')
        .selectAll()
        .where('student_no', '=', String(wang[1]))
        .executeTakeFirstOrThrow();
      // the blank ID kept the stored one; columns the file lacks (性别, 出生日期, 随迁子女…) kept theirs
      expect(row).toMatchObject({
        id_number: wang[2],
        class_no: 3,
        sex: 'M',
        birth_date: '2018-10-02',
        migrant: 1,
      });
    });

    it('columns missing from the file keep their values; a school file without capacity keeps capacity', async () => {
      const before = await countRows(t.store.db, 'school_capacity');
      const file = writeCsv(path.join(dir, 'rename.csv'), [
        ['学校标识码', '学校名称', '县（市、区）代码', '学校类型', '办学性质', '城乡分类'],
        ['4114020001', '平原路小学（更名）', '411402', '小学', '公办', '城区'],
      ]);
      const r = await importFile(t.store.db, 'schools', file);
      expect(r).toMatchObject({ updated: 1, errorCount: 0 });
      const s = await t.store.db
        .selectFrom('schools')
        .selectAll()
        .where('code', '=', '4114020001')
        .executeTakeFirstOrThrow();
      expect(s).toMatchObject({ name: '平原路小学（更名）', lng: 115.65, township_code: '411402001' });
      expect(await countRows(t.store.db, 'school_capacity')).toBe(before);
    });

    it('takes capacity per grade as a list (4、5、7), replacing the school’s capacity rows', async () => {
      const file = writeCsv(path.join(dir, 'capacity-list.csv'), [
        [
          '学校标识码',
          '学校名称',
          '县（市、区）代码',
          '学校类型',
          '办学性质',
          '城乡分类',
          '幼儿园每年级规划班数',
          '幼儿园标准班额',
        ],
        ['4114020003', '阳光幼儿园', '411402', '幼儿园', '民办', '镇区', '4、5、7', '25/30/35'],
      ]);
      const r = await importFile(t.store.db, 'schools', file);
      expect(r).toMatchObject({ updated: 1, errorCount: 0 });
      const cap = await t.store.db
        .selectFrom('school_capacity')
        .innerJoin('schools', 'schools.id', 'school_capacity.school_id')
        .select(['grade', 'planned_classes', 'standard_class_size'])
        .where('schools.code', '=', '4114020003')
        .orderBy('grade')
        .execute();
      expect(cap).toEqual([
        { grade: 'K1', planned_classes: 4, standard_class_size: 25 },
        { grade: 'K2', planned_classes: 5, standard_class_size: 30 },
        { grade: 'K3', planned_classes: 7, standard_class_size: 35 },
      ]);
    });

    it('a dry run validates and counts but writes nothing', async () => {
      const before = await snapshot(t.store.db);
      const file = writeCsv(path.join(dir, 'dry.csv'), [
        ['行政区划代码', '出生年份', '出生人数'],
        ['411402', 2020, 7000],
        ['411402', 2024, 1],
      ]);
      const r = await importFile(t.store.db, 'births', file, { dryRun: true });
      expect(r).toMatchObject({
        rows: 2,
        inserted: 1,
        updated: 1,
        written: false,
        dryRun: true,
        errorCount: 0,
      });
      expect(await snapshot(t.store.db)).toEqual(before);
    });

    it('writes in one transaction: a failure in the second slice leaves nothing of the first', async () => {
      const before = await snapshot(t.store.db);
      let slices = 0;
      const failing: ImportKind = {
        ...birthsKind,
        open(lookups) {
          const s = birthsKind.open(lookups);
          return {
            ...s,
            async write(trx, rows) {
              if (++slices === 2) throw new Error('disk full');
              await s.write(trx, rows);
            },
          };
        },
      };
      const rows: (string | number)[][] = [['行政区划代码', '出生年份', '出生人数']];
      const counties = HENAN_REGIONS.filter((r) => r.level === 'county');
      for (let y = 1980; y < 2020; y++) for (const c of counties) rows.push([c.code, y, 100]);
      const file = writeCsv(path.join(dir, 'many-births.csv'), rows);
      expect(rows.length - 1).toBeGreaterThan(5000);
      await expect(importFile(t.store.db, failing, file)).rejects.toThrow('disk full');
      expect(slices).toBe(2);
      expect(await snapshot(t.store.db)).toEqual(before);
    });
  });
}
