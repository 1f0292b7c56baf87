import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convexHull } from '../../src/registry/map.ts';
import { refreshSchoolFigures } from '../../src/registry/school-figures.ts';
import { type ApiWorld, buildApiWorld, buildSchool, type Session, signInAs } from '../support/api.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';

function multipart(filename: string, content: string) {
  const boundary = '----eduatlas-test';
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/geo+json\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('convex hull', () => {
  it('keeps the corners of a square and drops the inside point', () => {
    expect(
      convexHull([
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
        [0.5, 0.5],
      ]),
    ).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ]);
  });
});

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`registry API on ${dialect}`, () => {
    let t: TestDatabase;
    let w: ApiWorld;
    let admin: Session;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      w = await buildApiWorld(t);
      const db = t.store.db;
      const extra = await db
        .insertInto('schools')
        .values([
          buildSchool({ code: '4114020002', name: '梁园区第二小学', lng: 115.7, lat: 34.5 }),
          buildSchool({
            code: '4114020003',
            name: '梁园区九年制学校',
            school_type: 'nine_year',
            lng: 115.65,
            lat: 34.3,
            ownership: 'private',
          }),
        ])
        .returning('id')
        .execute();
      const nine = extra[1].id;
      await db
        .insertInto('school_capacity')
        .values([
          {
            school_id: nine,
            county_code: '411402',
            grade: 'G1',
            planned_classes: 2,
            standard_class_size: 45,
          },
          {
            school_id: nine,
            county_code: '411402',
            grade: 'G7',
            planned_classes: 2,
            standard_class_size: 50,
          },
        ])
        .execute();
      const census = (year: number, grade: string, m: number, f: number, entrants = 0) => ({
        school_id: nine,
        county_code: '411402',
        year,
        grade,
        pupils_male: m,
        pupils_female: f,
        entrants,
      });
      await db
        .insertInto('census')
        .values([census(2024, 'G1', 40, 38, 78), census(2025, 'G1', 45, 47, 92), census(2025, 'G7', 50, 52)])
        .execute();
      await db
        .insertInto('classes')
        .values([
          { school_id: nine, county_code: '411402', year: 2025, grade: 'G1', class_no: 1, size: 46 },
          { school_id: nine, county_code: '411402', year: 2025, grade: 'G1', class_no: 2, size: 46 },
          { school_id: nine, county_code: '411402', year: 2025, grade: 'G7', class_no: 1, size: 35 },
          { school_id: nine, county_code: '411402', year: 2025, grade: 'G7', class_no: 2, size: 67 },
        ])
        .execute();
      await db
        .insertInto('census_teachers')
        .values([
          { school_id: nine, county_code: '411402', year: 2025, subject: '语文', full_time_teachers: 6 },
          { school_id: nine, county_code: '411402', year: 2025, subject: '数学', full_time_teachers: 4 },
        ])
        .execute();
      // Written directly rather than imported, so the list's figures are refreshed as an import would.
      await refreshSchoolFigures(db);
      admin = await signInAs(w.app, 'city_admin');
    });
    afterAll(async () => {
      await w?.app.close();
      await t?.drop();
    });
    const get = (url: string, s = admin) =>
      w.app.inject({ url, headers: { cookie: s.cookie } }).then((r) => r.json());

    it('lists, filters, sorts and pages schools on the server', async () => {
      const all = await get('/api/schools?sort=pupils&order=desc');
      expect(all.total).toBe(4);
      expect(all.year).toBe(2025);
      expect(all.rows[0]).toMatchObject({
        code: '4114020003',
        pupils: 194,
        classes: 4,
        countyName: '梁园区',
        ownership: 'private',
      });
      expect((await get('/api/schools?stage=junior')).rows.map((r: { code: string }) => r.code)).toEqual([
        '4114020003',
        '4114030001',
      ]);
      expect((await get('/api/schools?county=411402&ownership=public')).total).toBe(2);
      expect((await get(`/api/schools?q=${encodeURIComponent('第二')}`)).rows[0].name).toBe('梁园区第二小学');
      const page2 = await get('/api/schools?sort=code&pageSize=3&page=2');
      expect(page2.rows.map((r: { code: string }) => r.code)).toEqual(['4114030001']);
    });

    it('shows a school page with capacity, trend, class-size bands and teachers', async () => {
      const list = await get('/api/schools?q=4114020003');
      const d = await get(`/api/schools/${list.rows[0].id}`);
      expect(d.capacity).toEqual([
        { grade: 'G1', plannedClasses: 2, standardClassSize: 45, seats: 90, pupils: 92 },
        { grade: 'G7', plannedClasses: 2, standardClassSize: 50, seats: 100, pupils: 102 },
      ]);
      expect(d.censusTrend).toEqual([
        { year: 2024, pupils: 78, entrants: 78, graduates: 0 },
        { year: 2025, pupils: 194, entrants: 92, graduates: 0 },
      ]);
      expect(d.classes.rows.map((c: { band: string }) => c.band)).toEqual([
        'somewhat_large',
        'somewhat_large',
        'normal',
        'super_large',
      ]);
      expect(d.teachersBySubject.rows[0]).toEqual({ subject: '语文', fullTimeTeachers: 6 });
      expect(
        (await w.app.inject({ url: '/api/schools/999999', headers: { cookie: admin.cookie } })).statusCode,
      ).toBe(404);
    });

    it('counts the dashboard by stage and ownership, a nine-year school once per stage', async () => {
      const d = await get('/api/dashboard');
      expect(d.totals).toEqual({ schools: 4, pupils: 194, classes: 4, teachers: 10 });
      const priv = d.byStage.filter((c: { ownership: string }) => c.ownership === 'private');
      expect(priv).toEqual([
        { stage: 'primary', ownership: 'private', schools: 1, pupils: 92, classes: 2, teachers: 5 },
        { stage: 'junior', ownership: 'private', schools: 1, pupils: 102, classes: 2, teachers: 5 },
      ]);
      expect(
        d.byCounty.map((c: { countyCode: string; schools: number }) => [c.countyCode, c.schools]),
      ).toEqual([
        ['411402', 3],
        ['411403', 1],
      ]);
    });

    it('gives the region tree within scope', async () => {
      const county = await signInAs(w.app, 'county_staff');
      const tree = await get('/api/regions', county);
      const codes = tree.map((r: { code: string }) => r.code);
      expect(codes).toContain('411402');
      expect(codes).toContain('411402001');
      expect(codes).not.toContain('411403');
      expect(tree.find((r: { code: string }) => r.code === '411400').schools).toBe(3);
    });

    it('draws a schematic of the counties until the bureau uploads outlines', async () => {
      const before = await get('/api/map');
      expect(before.outlines.schematic).toBe(true);
      expect(before.schools).toHaveLength(4);
      const geo = {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { name: '商丘' },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [115, 34],
                  [116, 34],
                  [116, 35],
                  [115, 34],
                ],
              ],
            },
          },
        ],
      };
      const bad = await w.app.inject({
        method: 'POST',
        url: '/api/map/outlines?region=411400',
        ...withAuth(multipart('x.geojson', '{"type":"Feature"}')),
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().field).toBe('file');
      const ok = await w.app.inject({
        method: 'POST',
        url: '/api/map/outlines?region=411400',
        ...withAuth(multipart('商丘.geojson', JSON.stringify(geo))),
      });
      expect(ok.json()).toEqual({ features: 1 });
      const after = await get('/api/map');
      expect(after.outlines).toEqual({ schematic: false, geojson: geo });
    });

    it('exports the filtered school list as CSV with a BOM and as XLSX, and audits the export', async () => {
      const csv = await w.app.inject({
        url: '/api/schools/export?format=csv&county=411402',
        headers: { cookie: admin.cookie },
      });
      expect(csv.headers['content-disposition']).toContain(
        `filename*=UTF-8''${encodeURIComponent('学校列表.csv')}`,
      );
      expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const lines = csv.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines[0].split(',').slice(0, 2)).toEqual(['学校标识码', '学校名称']);
      expect(lines).toHaveLength(4);
      expect(
        lines.some((l) => l.startsWith('4114020003,梁园区九年制学校,411402,梁园区,,九年一贯制学校,民办')),
      ).toBe(true);
      const xlsx = await w.app.inject({
        url: '/api/schools/export?stage=junior',
        headers: { cookie: admin.cookie },
      });
      const ExcelJS = (await import('exceljs')).default;
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.rawPayload as never);
      const sheet = book.worksheets[0];
      expect(sheet.rowCount).toBe(3);
      expect([sheet.getRow(2).getCell(1).value, sheet.getRow(3).getCell(1).value].sort()).toEqual([
        '4114020003',
        '4114030001',
      ]);
      const english = await w.app.inject({
        url: '/api/schools/export?format=csv&county=411402&schoolType=nine_year&lang=en',
        headers: { cookie: admin.cookie },
      });
      const [head, row] = english.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(head.split(',').slice(0, 2)).toEqual(['School code', 'School name']);
      expect(row).toContain('Nine-year school,Private,no,Urban');
      const audit = await get('/api/audit?action=export.schools');
      expect(audit.total).toBe(3);
      expect(audit.rows.every((a: { detail: { filter: object } }) => !('lang' in a.detail.filter))).toBe(
        true,
      );
      const auditBook = new ExcelJS.Workbook();
      await auditBook.xlsx.load(
        (await w.app.inject({ url: '/api/audit/export?action=export', headers: { cookie: admin.cookie } }))
          .rawPayload as never,
      );
      // The three school exports and this audit export itself, under the header.
      expect(auditBook.worksheets[0].rowCount).toBe(5);
      expect(auditBook.worksheets[0].getRow(1).getCell(1).value).toBe('编号');
      const auditEn = new ExcelJS.Workbook();
      await auditEn.xlsx.load(
        (await w.app.inject({ url: '/api/audit/export?lang=en', headers: { cookie: admin.cookie } }))
          .rawPayload as never,
      );
      expect(auditEn.worksheets[0].name).toBe('Audit log');
      expect(auditEn.worksheets[0].getRow(1).getCell(2).value).toBe('Time (UTC)');
    });

    it('lists a school’s pupils masked unless the role may see them, and audits every read', async () => {
      const home = (await get('/api/schools?q=4114020001')).rows[0];
      await t.store.db
        .insertInto('students')
        .values({
          county_code: '411402',
          school_id: home.id,
          student_no: 'G11010519491231002X',
          id_number: '11010519491231002X',
          name: '欧阳娜娜',
          sex: 'F',
          birth_date: '2018-03-01',
          year: 2025,
          grade: 'G1',
          class_no: 1,
        })
        .execute();
      const masked = await get(`/api/schools/${home.id}/students`, await signInAs(w.app, 'city_admissions'));
      expect(masked).toMatchObject({ total: 1, masked: true });
      expect(masked.rows[0]).toMatchObject({
        name: '欧***',
        idNumber: '110105********002X',
        studentNo: 'G110105********002X',
      });
      const clear = await get(`/api/schools/${home.id}/students`, await signInAs(w.app, 'city_welfare'));
      expect(clear.rows[0]).toMatchObject({ name: '欧阳娜娜', idNumber: '11010519491231002X' });
      const audit = await get('/api/audit?action=student.read');
      expect(audit.total).toBe(2);
      expect(JSON.stringify(audit.rows)).not.toContain('欧阳娜娜');
      expect(audit.rows.map((a: { detail: { unmasked: boolean } }) => a.detail.unmasked).sort()).toEqual([
        false,
        true,
      ]);
    });

    it('pages the register in school order of grades (G2 before G10)', async () => {
      const home = (await get('/api/schools?q=4114020002')).rows[0];
      const pupil = (no: string, grade: string) => ({
        county_code: '411402',
        school_id: home.id,
        student_no: no,
        name: '测试',
        sex: 'M',
        birth_date: '2015-01-01',
        year: 2025,
        grade,
      });
      await t.store.db
        .insertInto('students')
        .values([pupil('L900010', 'G10'), pupil('L900002', 'G2')])
        .execute();
      const first = await get(`/api/schools/${home.id}/students?pageSize=1`);
      expect(first.rows.map((r: { grade: string }) => r.grade)).toEqual(['G2']);
      const second = await get(`/api/schools/${home.id}/students?pageSize=1&page=2`);
      expect(second.rows.map((r: { grade: string }) => r.grade)).toEqual(['G10']);
    });

    it('filters the register by class and finds a pupil by the whole 学籍号 only', async () => {
      const home = (await get('/api/schools?q=4114020002')).rows[0];
      await t.store.db
        .insertInto('students')
        .values(
          [1, 2].map((classNo) => ({
            county_code: '411402',
            school_id: home.id,
            student_no: `G41140220180101003${classNo}`,
            name: '测试',
            sex: 'F',
            birth_date: '2018-01-01',
            year: 2025,
            grade: 'G2',
            class_no: classNo,
          })),
        )
        .execute();
      const clerk = await signInAs(w.app, 'county_staff');
      const inClass = await get(`/api/schools/${home.id}/students?grade=G2&classNo=2`, clerk);
      expect(inClass.total).toBe(1);
      expect(inClass.rows[0].studentNo).toBe('G411402********0032');
      const found = await get(`/api/schools/${home.id}/students?studentNo=G411402201801010031`, clerk);
      expect(found.rows.map((r: { classNo: number }) => r.classNo)).toEqual([1]);
      // A prefix would uncover the masked digits of the embedded ID number one by one.
      expect((await get(`/api/schools/${home.id}/students?studentNo=G4114022018`, clerk)).total).toBe(0);
      const audit = await get('/api/audit?action=student.read&pageSize=1');
      expect(JSON.stringify(audit.rows[0].detail)).not.toContain('201801010031');
    });

    it('exports the register masked, even for a role that sees names, and audits the export', async () => {
      const home = (await get('/api/schools?q=4114020001')).rows[0];
      const welfare = await signInAs(w.app, 'city_welfare');
      const res = await w.app.inject({
        url: `/api/schools/${home.id}/students/export?grade=G1`,
        headers: { cookie: welfare.cookie },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toContain(encodeURIComponent('梁园区测试小学学生名册.xlsx'));
      const ExcelJS = (await import('exceljs')).default;
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.rawPayload as never);
      const sheet = book.worksheets[0];
      expect(sheet.rowCount).toBe(2);
      expect((sheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual([
        '学籍号',
        '姓名（已脱敏）',
        '身份证号（已脱敏）',
      ]);
      expect((sheet.getRow(2).values as unknown[]).slice(1, 6)).toEqual([
        'G110105********002X',
        '欧***',
        '110105********002X',
        '女',
        '一年级',
      ]);
      const english = await w.app.inject({
        url: `/api/schools/${home.id}/students/export?lang=en`,
        headers: { cookie: welfare.cookie },
      });
      expect(english.headers['content-disposition']).toContain('filename="pupil-register-4114020001.xlsx"');
      const enBook = new ExcelJS.Workbook();
      await enBook.xlsx.load(english.rawPayload as never);
      expect(enBook.worksheets[0].name).toBe('Pupil register');
      expect((enBook.worksheets[0].getRow(1).values as unknown[]).slice(1, 3)).toEqual([
        'Student number',
        'Name (masked)',
      ]);
      expect((enBook.worksheets[0].getRow(2).values as unknown[]).slice(2, 6)).toEqual([
        '欧***',
        '110105********002X',
        'F',
        'Grade 1',
      ]);
      const audit = await get('/api/audit?action=export.students');
      expect(audit.total).toBe(2);
      expect(audit.rows[1]).toMatchObject({
        username: 'u_city_welfare',
        resourceId: String(home.id),
        detail: { grade: 'G1', unmasked: false },
      });
    });

    describe('teacher register', () => {
      let homeId: number;
      beforeAll(async () => {
        homeId = (await get('/api/schools?q=4114020001')).rows[0].id;
        const teacher = (
          no: string,
          name: string,
          subject: string,
          schoolId = homeId,
          county = '411402',
        ) => ({
          county_code: county,
          school_id: schoolId,
          teacher_no: no,
          id_number: `41140219850315${no.slice(-3)}6`,
          name,
          sex: 'F',
          birth_date: '1985-03-15',
          subject,
          full_time: 1,
          in_establishment: 1,
          title: '一级教师',
          hire_year: 2008,
        });
        await t.store.db
          .insertInto('teachers')
          .values([
            teacher('T001', '王丽', 'math'),
            teacher('T002', '李明华', 'chinese'),
            teacher('T003', '赵强', 'chinese'),
            teacher('T900', '孙芳', 'chinese', w.otherSchoolId, '411403'),
          ])
          .execute();
      });
      const status = (url: string, s: Session) =>
        w.app.inject({ url, headers: { cookie: s.cookie } }).then((r) => r.statusCode);

      it('pages and filters by subject, in the domain’s order of subjects, names masked', async () => {
        const all = await get(`/api/schools/${homeId}/teachers`, await signInAs(w.app, 'city_personnel'));
        expect(all).toMatchObject({ total: 3, masked: true });
        // 语文 before 数学, as the census lists subjects; within a subject by staff number.
        expect(all.rows.map((r: { teacherNo: string }) => r.teacherNo)).toEqual(['T002', 'T003', 'T001']);
        expect(all.rows[0]).toMatchObject({
          name: '李**',
          idNumber: '411402********0026',
          subject: 'chinese',
          fullTime: true,
          title: '一级教师',
        });
        const math = await get(`/api/schools/${homeId}/teachers?subject=math&pageSize=1`);
        expect(math.total).toBe(1);
        expect(math.rows[0].teacherNo).toBe('T001');
        const second = await get(`/api/schools/${homeId}/teachers?pageSize=2&page=2`);
        expect(second.rows.map((r: { teacherNo: string }) => r.teacherNo)).toEqual(['T001']);
      });

      it('shows names only to a role that may see them, and staff records only to roles for staff', async () => {
        const clear = await get(`/api/schools/${homeId}/teachers`, admin);
        expect(clear.masked).toBe(false);
        expect(clear.rows[0]).toMatchObject({ name: '李明华', idNumber: '411402198503150026' });
        const personnel = await get(
          `/api/schools/${homeId}/teachers`,
          await signInAs(w.app, 'city_personnel'),
        );
        expect(personnel.masked).toBe(true);
        expect(JSON.stringify(personnel.rows)).not.toContain('李明华');
        // The welfare and admissions offices read pupils' records, not staff records.
        for (const role of ['city_welfare', 'city_admissions'] as const)
          expect(await status(`/api/schools/${homeId}/teachers`, await signInAs(w.app, role))).toBe(403);
        expect(await status(`/api/schools/${homeId}/students`, await signInAs(w.app, 'city_personnel'))).toBe(
          403,
        );
      });

      it('answers 404 for another county’s school and lets school staff see only their school', async () => {
        const county = await signInAs(w.app, 'county_staff');
        expect(await status(`/api/schools/${homeId}/teachers`, county)).toBe(200);
        const other = await w.app.inject({
          url: `/api/schools/${w.otherSchoolId}/teachers`,
          headers: { cookie: county.cookie },
        });
        expect(other.statusCode).toBe(404);
        expect(other.body).not.toContain('孙');
        const school = await signInAs(w.app, 'school_staff');
        expect(await status(`/api/schools/${homeId}/teachers`, school)).toBe(200);
        expect(await status(`/api/schools/${w.otherSchoolId}/teachers`, school)).toBe(404);
        const second = (await get('/api/schools?q=4114020002')).rows[0];
        expect(await status(`/api/schools/${second.id}/teachers`, school)).toBe(404);
      });

      it('writes an audit row for every read, with no name in it', async () => {
        const before = (await get('/api/audit?action=teacher.read')).total;
        await get(`/api/schools/${homeId}/teachers?subject=chinese`, await signInAs(w.app, 'county_staff'));
        const audit = await get('/api/audit?action=teacher.read');
        expect(audit.total).toBe(before + 1);
        expect(audit.rows[0]).toMatchObject({
          username: 'u_county_staff',
          resourceType: 'school_teachers',
          resourceId: String(homeId),
          countyCode: '411402',
          detail: { subject: 'chinese', page: 1, rows: 2, unmasked: false },
        });
        expect(JSON.stringify(audit.rows)).not.toMatch(/李明华|赵强|王丽/);
      });
    });

    function withAuth(m: { payload: string; headers: Record<string, string> }) {
      return {
        payload: m.payload,
        headers: { ...m.headers, cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      };
    }
  });
}
