import { birthDateOfIdNumber } from '../../domain/id-number.ts';
import { maskIdNumber } from '../../domain/privacy.ts';
import { maskPersonal } from '../cells.ts';
import type { ColumnSpec, Db, Pending, Rec, RowContext, Values } from '../spec.ts';
import { untyped } from './common.ts';
import { SEX_OPTIONS } from './options.ts';

/** Columns every register of persons (pupils, teachers, disabled children) has. */
export const personColumns = {
  idNumber: (): ColumnSpec => ({
    key: 'id_number',
    header: '身份证号',
    aliases: ['身份证号码', '公民身份号码', '身份证件号', '证件号码'],
    type: 'id_number',
    personal: 'id_number',
    zh: '18 位居民身份证号（校验位按 GB 11643 检查）；请把该列设为“文本”格式，否则 Excel 会丢失末 3 位。没有可留空；留空不会清除系统中已有的号码',
    en: 'the 18-character resident ID number (check digit per GB 11643); format the column as Text or Excel drops the last 3 digits. May be blank; a blank never erases a number already stored',
    example: '411402201709010023',
  }),
  name: (): ColumnSpec => ({
    key: 'name',
    header: '姓名',
    type: 'text',
    required: true,
    maxLength: 50,
    personal: 'name',
    zh: '姓名（导出时默认脱敏）',
    en: 'full name (masked in exports by default)',
    example: '张小红',
  }),
  sex: (): ColumnSpec => ({
    key: 'sex',
    header: '性别',
    type: 'enum',
    options: SEX_OPTIONS,
    zh: '男 或 女；有身份证号时可留空（取自身份证号），填写则必须一致',
    en: '男 (M) or 女 (F); may be blank when the ID number is given (taken from it), and must match it if filled',
    example: '女',
  }),
  birthDate: (example: string): ColumnSpec => ({
    key: 'birth_date',
    header: '出生日期',
    aliases: ['出生年月日', '生日'],
    type: 'date',
    zh: '出生日期，如 2017-09-01（也可 2017/9/1、20170901）；有身份证号时可留空，填写则必须与身份证号一致',
    en: 'date of birth, e.g. 2017-09-01 (2017/9/1 and 20170901 also work); may be blank when the ID number is given, and must match it if filled',
    example,
  }),
};

/** The sex an ID number encodes: its 17th digit is odd for men. */
export function sexOfIdNumber(id: string): 'M' | 'F' {
  return Number(id[16]) % 2 === 1 ? 'M' : 'F';
}

/**
 * ID number, birth date and sex of a row: birth date and sex come from the ID number when blank, and
 * must agree with it when given. A blank ID number keeps the stored one (undefined).
 */
export function personFields(v: Values, ctx: RowContext): Rec | undefined {
  const id = v.id_number as string | null | undefined;
  let birth = v.birth_date as string | null | undefined;
  let sex = v.sex as string | null | undefined;
  let ok = true;
  if (typeof id === 'string') {
    const idBirth = birthDateOfIdNumber(id);
    const idSex = sexOfIdNumber(id);
    if (birth != null && birth !== idBirth) {
      ctx.fail(
        'birth_date',
        '出生日期与身份证号中的出生日期不一致',
        'the birth date differs from the one in the ID number',
        'io.birth_date_mismatch',
      );
      ok = false;
    }
    if (sex != null && sex !== idSex) {
      ctx.fail(
        'sex',
        '性别与身份证号（第 17 位）不一致',
        'the sex differs from the ID number’s 17th digit',
        'io.sex_mismatch',
      );
      ok = false;
    }
    birth ??= idBirth;
    sex ??= idSex;
  }
  if (!ok) return undefined;
  return { id_number: id ?? undefined, birth_date: birth, sex };
}

/** Rules on the merged person row: birth date and sex known, and agreeing with a stored ID number. */
export function checkPerson(r: Rec, ctx: RowContext): boolean {
  if (r.birth_date == null) {
    ctx.fail(
      'birth_date',
      '缺少出生日期（没有身份证号时必填）',
      'the birth date is missing (required without an ID number)',
      'io.required',
    );
    return false;
  }
  if (r.sex == null) {
    ctx.fail(
      'sex',
      '缺少性别（没有身份证号时必填）',
      'the sex is missing (required without an ID number)',
      'io.required',
    );
    return false;
  }
  if (typeof r.id_number === 'string' && birthDateOfIdNumber(r.id_number) !== r.birth_date) {
    ctx.fail(
      'birth_date',
      '出生日期与系统中该人的身份证号不一致',
      'the birth date differs from the ID number stored for this person',
      'io.birth_date_mismatch',
    );
    return false;
  }
  return true;
}

/**
 * Matches register rows by their number (学籍号, 教师编号) and checks ID numbers against the database:
 * an ID number stored under another number, or a number stored with another ID number, is a clash.
 */
export async function matchPersons(
  db: Db,
  table: 'students' | 'teachers',
  noColumn: 'student_no' | 'teacher_no',
  chunk: Pending[],
  fail: (p: Pending, field: string, zh: string, en: string, code?: string) => void,
): Promise<void> {
  const nos = [...new Set(chunk.map((p) => String(p.rec[noColumn])))];
  const ids = [
    ...new Set(chunk.map((p) => p.rec.id_number).filter((x): x is string => typeof x === 'string')),
  ];
  const byNo = new Map<string, Rec>();
  const byId = new Map<string, Rec>();
  if (nos.length) {
    for (const r of (await untyped(db)
      .selectFrom(table)
      .selectAll()
      .where(noColumn, 'in', nos)
      .execute()) as Rec[]) {
      byNo.set(String(r[noColumn]), r);
    }
  }
  if (ids.length) {
    const rows = (await untyped(db)
      .selectFrom(table)
      .select([noColumn, 'id_number'])
      .where('id_number', 'in', ids)
      .execute()) as Rec[];
    for (const r of rows) byId.set(String(r.id_number), r);
  }
  const label = noColumn === 'student_no' ? '学籍号' : '教师编号';
  for (const p of chunk) {
    const no = String(p.rec[noColumn]);
    const id = p.rec.id_number;
    const existing = byNo.get(no);
    if (typeof id === 'string') {
      const owner = byId.get(id);
      if (owner && String(owner[noColumn]) !== no) {
        const other = maskPersonal(String(owner[noColumn]), 'embedded_id');
        fail(
          p,
          'id_number',
          `该身份证号已登记在另一${label}（${other}）名下`,
          `this ID number is already registered under another ${noColumn} (${other})`,
          'io.id_number_taken',
        );
        continue;
      }
      if (existing && typeof existing.id_number === 'string' && existing.id_number !== id) {
        const stored = maskIdNumber(existing.id_number);
        fail(
          p,
          'id_number',
          `系统中该${label}登记的是另一个身份证号（${stored}）`,
          `the database has another ID number (${stored}) for this ${noColumn}`,
          'io.id_number_conflict',
        );
        continue;
      }
    }
    p.existing = existing;
  }
}
