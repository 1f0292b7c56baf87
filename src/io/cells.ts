import { checkIdNumber } from '../domain/id-number.ts';
import { maskIdNumber, maskName, maskRegisterNo } from '../domain/privacy.ts';
import { GRADE_LABELS, GRADES, type Grade } from '../domain/stages.ts';
import type { ColumnSpec, EnumOption } from './spec.ts';

/** A cell as a reader hands it over: CSV gives strings, XLSX also numbers, booleans and dates. */
export type RawCell = string | number | boolean | Date | null;

export type Parsed = { ok: true; value: unknown } | { ok: false; code: string; zh: string; en: string };

const ok = (value: unknown): Parsed => ({ ok: true, value });
const bad = (code: string, zh: string, en: string): Parsed => ({ ok: false, code, zh, en });

/** Full-width digits and letters to ASCII, spaces trimmed (Excel and IME habits). */
export function normalizeText(s: string): string {
  return s.normalize('NFKC').trim();
}

export function isBlank(cell: RawCell): boolean {
  return cell === null || (typeof cell === 'string' && cell.trim() === '');
}

/**
 * Masks personal data for lists, logs and exports: names keep the family name, ID numbers the region
 * and last four; register numbers are masked only when they embed an ID number (学籍号 G + 身份证号).
 */
export function maskPersonal(value: string, personal: ColumnSpec['personal']): string {
  if (personal === 'id_number') return maskIdNumber(value) ?? '';
  if (personal === 'name') return maskName(value) ?? '';
  if (personal === 'embedded_id') return maskRegisterNo(value);
  return value;
}

/** The cell as text, for reports; personal data masked. */
export function cellText(cell: RawCell, personal?: ColumnSpec['personal']): string {
  let s: string;
  if (cell === null) s = '';
  else if (cell instanceof Date) s = isoDate(cell);
  else s = String(cell);
  return personal ? maskPersonal(s, personal) : s;
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const tooLong = () =>
  bad(
    'io.number_precision',
    '该单元格是数字，位数太多，Excel 已丢失末几位。请把这一列设置为“文本”格式后重新录入',
    'This cell holds a number too long to be exact (Excel keeps only 15 digits). Format the column as Text and re-enter it',
  );

/** Text of a cell meant to hold text or a code. A number is accepted only if it is an exact integer. */
function textOf(cell: RawCell): Parsed {
  if (typeof cell === 'number') {
    if (Number.isInteger(cell) && !Number.isSafeInteger(cell)) return tooLong();
    return ok(String(cell));
  }
  if (cell instanceof Date) return ok(isoDate(cell));
  if (typeof cell === 'boolean') return ok(cell ? '是' : '否');
  const s = String(cell).trim();
  // ="0123": the way some systems make Excel keep a code as text in a CSV.
  const quoted = /^="(.*)"$/.exec(s);
  return ok(quoted ? quoted[1].trim() : s);
}

function intOf(cell: RawCell): number | null {
  if (typeof cell === 'number') return Number.isInteger(cell) ? cell : null;
  if (typeof cell !== 'string') return null;
  const s = normalizeText(cell).replace(/,/g, '');
  if (!/^[-+]?\d+(\.0+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

function numberOf(cell: RawCell): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (typeof cell !== 'string') return null;
  const s = normalizeText(cell).replace(/,/g, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return null;
  return Number(s);
}

function range(n: number, col: ColumnSpec): Parsed {
  if (col.min !== undefined && n < col.min) {
    return col.min === 0
      ? bad('io.negative', '不能为负数', 'must not be negative')
      : bad('io.too_small', `不能小于 ${col.min}`, `must be at least ${col.min}`);
  }
  if (col.max !== undefined && n > col.max)
    return bad('io.too_large', `不能大于 ${col.max}`, `must be at most ${col.max}`);
  return ok(n);
}

/** A calendar date (YYYY-MM-DD) from y, m, d, or null if there is no such day. */
export function makeDate(y: number, m: number, d: number): string | null {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Excel's day serial (1900 system; 1 = 1900-01-01, counting its fictitious 29 Feb 1900). */
function excelSerialDate(serial: number): string {
  const ms = Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000;
  return isoDate(new Date(ms));
}

/** Dates as clerks type them: 2017-09-01, 2017/9/1, 2017.9.1, 20170901, 2017年9月1日, or Excel dates. */
export function parseDate(cell: RawCell): string | null {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : isoDate(cell);
  if (typeof cell === 'number') {
    if (Number.isInteger(cell) && cell >= 19000101 && cell <= 21001231) {
      return makeDate(Math.floor(cell / 10000), Math.floor(cell / 100) % 100, cell % 100);
    }
    if (cell >= 61 && cell < 73051) return excelSerialDate(cell);
    return null;
  }
  if (typeof cell !== 'string') return null;
  const s = normalizeText(cell);
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/.exec(s);
  if (m) return makeDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return makeDate(Number(m[1]), Number(m[2]), Number(m[3]));
  return null;
}

const TRUE_WORDS = new Set(['是', '1', 'y', 'yes', 'true', '√', '有', 't']);
const FALSE_WORDS = new Set(['否', '0', 'n', 'no', 'false', '×', '无', 'f']);

function normalizeWord(s: string): string {
  return normalizeText(s).replace(/\s+/g, '').toLowerCase();
}

/** Finds the enum option a cell names: its key (any case), Chinese label or an alias. */
export function matchOption(options: readonly EnumOption[], text: string): EnumOption | undefined {
  const w = normalizeWord(text);
  return options.find(
    (o) =>
      o.key.toLowerCase() === w ||
      normalizeWord(o.label) === w ||
      (o.aliases ?? []).some((a) => normalizeWord(a) === w),
  );
}

const GRADE_ALIASES: Record<Grade, readonly string[]> = {
  K1: ['幼儿园小班', '小班'],
  K2: ['幼儿园中班', '中班'],
  K3: ['幼儿园大班', '大班'],
  G1: ['1年级', '小学一年级'],
  G2: ['2年级', '小学二年级'],
  G3: ['3年级', '小学三年级'],
  G4: ['4年级', '小学四年级'],
  G5: ['5年级', '小学五年级'],
  G6: ['6年级', '小学六年级'],
  G7: ['七年级', '7年级', '初中一年级'],
  G8: ['八年级', '8年级', '初中二年级'],
  G9: ['九年级', '9年级', '初中三年级'],
  G10: ['高中一年级', '十年级'],
  G11: ['高中二年级', '十一年级'],
  G12: ['高中三年级', '十二年级'],
};

/** The grades as enum options: G1 or 一年级 (and 七年级 for 初一, …). */
export const GRADE_OPTIONS: readonly EnumOption[] = GRADES.map((g) => ({
  key: g,
  label: GRADE_LABELS[g],
  aliases: GRADE_ALIASES[g],
}));

function optionsList(options: readonly EnumOption[]): string {
  return options.map((o) => o.label).join('、');
}

/** Parses one non-blank cell for its column. Existence of codes is checked by the kind, not here. */
export function parseCell(cell: RawCell, col: ColumnSpec): Parsed {
  switch (col.type) {
    case 'text': {
      const t = textOf(cell);
      if (t.ok && col.maxLength && String(t.value).length > col.maxLength) {
        return bad(
          'io.too_long',
          `不能超过 ${col.maxLength} 个字符`,
          `must be at most ${col.maxLength} characters`,
        );
      }
      return t;
    }
    case 'school_code': {
      const t = textOf(cell);
      if (!t.ok) return t;
      const s = normalizeText(String(t.value));
      if (!/^[0-9A-Za-z_-]{1,32}$/.test(s)) {
        return bad(
          'io.school_code_format',
          '学校标识码只能由数字或字母组成（通常 10 位数字）',
          'a school code is digits or letters (usually 10 digits)',
        );
      }
      return ok(s);
    }
    case 'region_code': {
      const t = textOf(cell);
      if (!t.ok) return t;
      const s = normalizeText(String(t.value));
      if (!/^\d{6}(\d{3})?$/.test(s)) {
        return bad(
          'io.region_code_format',
          '行政区划代码应为 6 位（县级）或 9 位（乡镇）数字',
          'a region code is 6 digits (county) or 9 digits (township)',
        );
      }
      return ok(s);
    }
    case 'id_number': {
      if (typeof cell === 'number') return tooLong();
      const t = textOf(cell);
      if (!t.ok) return t;
      const s = normalizeText(String(t.value)).replace(/\s+/g, '').toUpperCase();
      const problem = checkIdNumber(s);
      if (problem === 'format') {
        return bad(
          'io.id_format',
          '身份证号应为 18 位，前 17 位为数字，最后一位为数字或 X',
          'an ID number has 18 characters: 17 digits and a digit or X',
        );
      }
      if (problem === 'birth_date')
        return bad(
          'io.id_birth_date',
          '身份证号中的出生日期不存在',
          'the birth date inside the ID number does not exist',
        );
      if (problem === 'check_digit')
        return bad(
          'io.id_check_digit',
          '身份证号校验位不正确（GB 11643），请核对',
          'the ID number’s check digit is wrong (GB 11643); please check it',
        );
      return ok(s);
    }
    case 'int': {
      const n = intOf(cell);
      if (n === null) return bad('io.not_integer', '应为整数', 'must be a whole number');
      return range(n, col);
    }
    case 'int_list': {
      // 4, or one number per grade: 4、5、7 (、 rather than / so that Excel never makes it a date)
      const parts =
        typeof cell === 'number'
          ? [cell]
          : normalizeText(String(cell))
              .split(/[、,，;；/\s]+/)
              .filter(Boolean);
      const out: number[] = [];
      for (const part of parts) {
        const n = intOf(part as RawCell);
        if (n === null)
          return bad(
            'io.not_integer_list',
            '应为整数，或按年级用“、”分隔的几个整数（如 4、5、7）',
            'must be a whole number, or one per grade separated by 、 (e.g. 4、5、7)',
          );
        const r = range(n, col);
        if (!r.ok) return r;
        out.push(n);
      }
      return out.length ? ok(out) : bad('io.not_integer_list', '应为整数', 'must be a whole number');
    }
    case 'year': {
      let n = intOf(cell);
      if (n === null && typeof cell === 'string') {
        const s = normalizeText(cell).replace(/\s+/g, '');
        const m = /^(\d{4})(?:年|学年|年度)?$/.exec(s) ?? /^(\d{4})[-—–~至](\d{4})(?:学年)?$/.exec(s);
        if (m && (m[2] === undefined || Number(m[2]) === Number(m[1]) + 1)) n = Number(m[1]);
      }
      if (n === null)
        return bad(
          'io.not_year',
          '应为四位年份，如 2025（学年以开始的年份计）',
          'must be a four-digit year such as 2025 (a school year by the year it starts)',
        );
      return range(n, { ...col, min: col.min ?? 1950, max: col.max ?? 2100 });
    }
    case 'number': {
      const n = numberOf(cell);
      if (n === null) return bad('io.not_number', '应为数字', 'must be a number');
      return range(n, col);
    }
    case 'date': {
      const d = parseDate(cell);
      if (d === null)
        return bad('io.not_date', '日期无法识别，请用 2017-09-01 格式', 'not a date; write it as 2017-09-01');
      return ok(d);
    }
    case 'bool': {
      if (typeof cell === 'boolean') return ok(cell ? 1 : 0);
      const w = normalizeWord(String(cell));
      if (TRUE_WORDS.has(w)) return ok(1);
      if (FALSE_WORDS.has(w)) return ok(0);
      return bad('io.not_bool', '应填“是”或“否”', 'must be 是 (yes) or 否 (no)');
    }
    case 'enum':
    case 'grade': {
      const options = col.type === 'grade' ? GRADE_OPTIONS : (col.options ?? []);
      const t = textOf(cell);
      if (!t.ok) return t;
      const o = matchOption(options, String(t.value));
      if (!o) {
        const keys = options.map((x) => x.key).join(', ');
        return bad(
          'io.not_allowed',
          `不是允许的取值，应为：${optionsList(options)}`,
          `not an allowed value; use one of: ${keys}`,
        );
      }
      return ok(o.key);
    }
  }
}

/** How a stored value is written in a file for its column (labels for enums, 是/否 for flags). */
export function formatValue(
  value: unknown,
  col: Pick<ColumnSpec, 'type' | 'options'>,
): string | number | null {
  if (value === null || value === undefined) return null;
  switch (col.type) {
    case 'bool':
      return Number(value) ? '是' : '否';
    case 'enum':
    case 'grade': {
      const options = col.type === 'grade' ? GRADE_OPTIONS : (col.options ?? []);
      return options.find((o) => o.key === value)?.label ?? String(value);
    }
    case 'int':
    case 'number':
    case 'year':
      return Number(value);
    case 'int_list': {
      const list = (Array.isArray(value) ? value : [value]).map(Number);
      return list.every((n) => n === list[0]) ? list[0] : list.join('、');
    }
    default:
      return String(value);
  }
}

/** Columns that Excel must keep as text (codes, ID numbers, register numbers). */
export function isTextColumn(col: Pick<ColumnSpec, 'type'>): boolean {
  return (
    col.type === 'text' ||
    col.type === 'id_number' ||
    col.type === 'school_code' ||
    col.type === 'region_code'
  );
}
