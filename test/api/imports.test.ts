import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, buildApiWorld, type Session, signInAs } from '../support/api.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

const HEADER = '学校标识码,学校名称,县（市、区）代码,学校类型,办学性质,城乡分类';

function upload(s: Session, kind: string, filename: string, content: string | Buffer) {
  const boundary = '----eduatlas-import';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`;
  const payload = Buffer.concat([
    Buffer.from(head),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return {
    method: 'POST' as const,
    url: `/api/imports/${kind}`,
    payload,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      cookie: s.cookie,
      'x-csrf-token': s.csrf,
    },
  };
}

describe('imports through the API', () => {
  let t: TestDatabase;
  let w: ApiWorld;
  let clerk: Session;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    w = await buildApiWorld(t);
    clerk = await signInAs(w.app, 'county_staff');
  });
  afterAll(async () => {
    await w?.app.close();
    await t?.drop();
  });
  const schoolCount = async () => (await t.store.db.selectFrom('schools').select('code').execute()).length;

  it('lists the kinds and serves a template', async () => {
    const kinds = (
      await w.app.inject({ url: '/api/imports/kinds', headers: { cookie: clerk.cookie } })
    ).json();
    expect(kinds.map((k: { kind: string }) => k.kind)).toContain('students');
    const tpl = await w.app.inject({
      url: '/api/imports/schools/template',
      headers: { cookie: clerk.cookie },
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(tpl.rawPayload as never);
    expect(book.worksheets[0].getRow(1).getCell(1).value).toBe('学校标识码');
    expect(book.worksheets.map((s) => s.name)).toContain('说明');
    const en = await w.app.inject({
      url: '/api/imports/schools/template?lang=en',
      headers: { cookie: clerk.cookie },
    });
    expect(en.headers['content-disposition']).toContain('filename="schools-import-template.xlsx"');
    const enBook = new ExcelJS.Workbook();
    await enBook.xlsx.load(en.rawPayload as never);
    expect(enBook.worksheets.map((s) => s.name)).toEqual(['Schools', 'Guide']);
    expect(enBook.worksheets[0].getRow(1).getCell(1).value).toBe('school_code');
    const wrong = await w.app.inject({
      url: '/api/imports/schools/template?lang=fr',
      headers: { cookie: clerk.cookie },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().field).toBe('querystring.lang');
  });

  it('validates without writing, reports the bad row, then imports the corrected file on confirmation', async () => {
    const before = await schoolCount();
    const bad = `${HEADER}\n4114020101,梁园区新建小学,411402,小学,公办,城区\n4114020102,梁园区新建初中,411402,大学,公办,城区\n`;
    const r1 = await w.app.inject(upload(clerk, 'schools', '学校.csv', bad));
    expect(r1.statusCode).toBe(200);
    const report = r1.json();
    expect(report).toMatchObject({ ok: false, dryRun: true, rows: 2, errorCount: 1 });
    expect(report.errors[0]).toMatchObject({ row: 3, column: '学校类型', value: '大学' });
    expect(await schoolCount()).toBe(before);

    const xlsx = await w.app.inject({
      url: `/api/imports/uploads/${report.uploadId}/errors.xlsx`,
      headers: { cookie: clerk.cookie },
    });
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as never);
    expect(book.worksheets.map((s) => s.name)).toEqual(['错误数据', '错误列表']);
    const xlsxEn = await w.app.inject({
      url: `/api/imports/uploads/${report.uploadId}/errors.xlsx?lang=en`,
      headers: { cookie: clerk.cookie },
    });
    const bookEn = new ExcelJS.Workbook();
    await bookEn.xlsx.load(xlsxEn.rawPayload as never);
    expect(bookEn.worksheets.map((s) => s.name)).toEqual(['Rows with errors', 'Problems']);
    const problems = bookEn.worksheets[0].getRow(1).cellCount;
    expect(bookEn.worksheets[0].getRow(1).getCell(problems).value).toBe('problems');
    expect(String(bookEn.worksheets[0].getRow(2).getCell(problems).value)).toMatch(
      /^学校类型: not an allowed value/,
    );

    const refused = await w.app.inject({
      method: 'POST',
      url: `/api/imports/uploads/${report.uploadId}/confirm`,
      headers: { cookie: clerk.cookie, 'x-csrf-token': clerk.csrf },
    });
    expect(refused.json()).toMatchObject({ ok: false, errorCount: 1 });
    expect(await schoolCount()).toBe(before);

    const good = bad.replace('大学', '初级中学');
    const r2 = (await w.app.inject(upload(clerk, 'schools', '学校.csv', good))).json();
    expect(r2).toMatchObject({ ok: true, inserted: 2, updated: 0 });
    expect(await schoolCount()).toBe(before);
    const done = await w.app.inject({
      method: 'POST',
      url: `/api/imports/uploads/${r2.uploadId}/confirm`,
      headers: { cookie: clerk.cookie, 'x-csrf-token': clerk.csrf },
    });
    expect(done.json()).toMatchObject({ ok: true, dryRun: false, inserted: 2, uploadId: null });
    expect(await schoolCount()).toBe(before + 2);
    const again = (await w.app.inject(upload(clerk, 'schools', '学校.csv', good))).json();
    expect(again).toMatchObject({ ok: true, inserted: 0, updated: 0 });
  });

  it('refuses rows outside the clerk’s county, and another user’s upload', async () => {
    const other = `${HEADER}\n4114030101,睢阳区新建小学,411403,小学,公办,城区\n`;
    const r = (await w.app.inject(upload(clerk, 'schools', 'x.csv', other))).json();
    expect(r.ok).toBe(false);
    expect(r.errors[0].row).toBe(2);
    const admin = await signInAs(w.app, 'city_admin');
    const stolen = await w.app.inject({
      method: 'POST',
      url: `/api/imports/uploads/${r.uploadId}/confirm`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    });
    expect(stolen.statusCode).toBe(404);
    const audit = (
      await w.app.inject({ url: '/api/audit?action=import.schools', headers: { cookie: admin.cookie } })
    ).json();
    expect(audit.rows.map((a: { action: string }) => a.action)).toContain('import.schools');
  });

  it('asks for a file, and names an unknown kind', async () => {
    const unknown = await w.app.inject(upload(clerk, 'pupils', 'x.csv', HEADER));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toContain('pupils');
  });
});
