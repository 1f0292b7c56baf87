import ExcelJS from 'exceljs';
import { makeIdNumber } from '../src/domain/id-number.ts';
import { getKind } from '../src/io/index.ts';

/** The schools a generated student file refers to: primary schools 4114021001, 4114021002, … */
export function benchSchoolsCsv(schools: number): string {
  const lines = ['学校标识码,学校名称,县（市、区）代码,学校类型,办学性质,城乡分类'];
  for (let s = 0; s < schools; s++) lines.push(`${4114021001 + s},测试小学${s + 1},411402,小学,公办,城区`);
  return `${lines.join('\n')}\n`;
}

// The students kind's own headers, so that the bench file follows the template.
const KEYS = [
  'school_code',
  'student_no',
  'id_number',
  'name',
  'sex',
  'birth_date',
  'year',
  'grade',
  'class_no',
  'migrant',
  'left_behind',
  'boarder',
  'after_school',
];
const HEADER = KEYS.map((key) => {
  const col = getKind('students').columns.find((c) => c.key === key);
  if (!col) throw new Error(`the students kind has no column ${key}`);
  return col.header;
});

/**
 * Writes an XLSX of `n` pupils of the 2025 school year in grades 1–6, streamed, with shared strings and
 * the ID column formatted as text — as Excel saves a register. Every row is valid.
 */
export async function writeStudentsXlsx(file: string, n: number, schools = 50): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useSharedStrings: true,
    useStyles: true,
  });
  const ws = wb.addWorksheet('学生');
  ws.columns = HEADER.map((h, i) => ({
    header: h,
    key: String(i),
    width: 14,
    style: i <= 2 ? { numFmt: '@' } : {},
  }));
  const base = Date.UTC(2000, 8, 1);
  for (let i = 0; i < n; i++) {
    const g = 1 + (i % 6);
    const age = 5 + g; // the usual age of grade g on 31 August 2025
    const day = Math.floor(i / 6) % 365;
    const born = new Date(base + day * 86_400_000);
    born.setUTCFullYear(2025 - age - 1 + (born.getUTCMonth() < 8 ? 1 : 0));
    const birth = born.toISOString().slice(0, 10);
    const id = makeIdNumber('411402', birth, Math.floor(i / 2190));
    ws.addRow([
      String(4114021001 + (i % schools)),
      `G${id}`,
      id,
      `学生${i}`,
      Number(id[16]) % 2 ? '男' : '女',
      birth,
      2025,
      `G${g}`,
      1 + (Math.floor(i / 6) % 8),
      i % 7 === 0 ? '是' : '否',
      i % 11 === 0 ? '是' : '否',
      '否',
      i % 3 === 0 ? '是' : '否',
    ]).commit();
  }
  ws.commit();
  await wb.commit();
}
