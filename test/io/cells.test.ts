import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../src/domain/id-number.ts';
import { cellText, formatValue, maskPersonal, parseCell, parseDate } from '../../src/io/cells.ts';
import { matchHeader } from '../../src/io/headers.ts';
import { getKind } from '../../src/io/kinds/index.ts';
import type { ColumnSpec } from '../../src/io/spec.ts';

const column = (type: ColumnSpec['type'], over: Partial<ColumnSpec> = {}): ColumnSpec => ({
  key: 'x',
  header: 'X',
  type,
  zh: '',
  en: '',
  example: '',
  ...over,
});
const value = (cell: Parameters<typeof parseCell>[0], col: ColumnSpec) => {
  const p = parseCell(cell, col);
  return p.ok ? p.value : p.code;
};

describe('dates as clerks type them', () => {
  it.each([
    ['2017-09-01', '2017-09-01'],
    ['2017/9/1', '2017-09-01'],
    ['2017.9.1', '2017-09-01'],
    ['20170901', '2017-09-01'],
    ['2017年9月1日', '2017-09-01'],
    ['２０１７－０９－０１', '2017-09-01'],
    ['2017-09-01 00:00:00', '2017-09-01'],
    ['2016-02-29', '2016-02-29'],
  ])('%s', (text, iso) => expect(parseDate(text)).toBe(iso));

  it.each(['2017-02-29', '2017-13-01', '2017/9', '9/1/2017', '昨天', '2017-09-01x'])('refuses %s', (text) =>
    expect(parseDate(text)).toBeNull(),
  );

  it('reads Excel day serials and yyyymmdd numbers from numeric cells, and Date cells', () => {
    expect(parseDate(42979)).toBe('2017-09-01');
    expect(parseDate(20170901)).toBe('2017-09-01');
    expect(parseDate(new Date(Date.UTC(2017, 8, 1)))).toBe('2017-09-01');
    expect(parseDate(20170231)).toBeNull();
  });

  it('reads back every day of 1990–2030 in each accepted spelling (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1990-01-01T00:00:00Z'),
          max: new Date('2030-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          const [y, m, day] = iso.split('-').map(Number);
          for (const text of [
            iso,
            `${y}/${m}/${day}`,
            `${y}.${m}.${day}`,
            iso.replaceAll('-', ''),
            `${y}年${m}月${day}日`,
          ]) {
            expect(parseDate(text)).toBe(iso);
          }
        },
      ),
    );
  });
});

describe('cells by column type', () => {
  it('years: 2025, 2025年, 2025-2026 学年; not 2025-2027', () => {
    const year = column('year');
    expect(value('2025', year)).toBe(2025);
    expect(value('2025年', year)).toBe(2025);
    expect(value('2025-2026学年', year)).toBe(2025);
    expect(value('2025-2027', year)).toBe('io.not_year');
    expect(value(1890, year)).toBe('io.too_small');
  });

  it('whole numbers: 1,200 and 12.0 are fine, 12.5 and 一百 are not; min 0 means not negative', () => {
    const n = column('int', { min: 0 });
    expect(value('1,200', n)).toBe(1200);
    expect(value('12.0', n)).toBe(12);
    expect(value(12, n)).toBe(12);
    expect(value('12.5', n)).toBe('io.not_integer');
    expect(value('一百', n)).toBe('io.not_integer');
    expect(value('-3', n)).toBe('io.negative');
  });

  it('yes/no in the words clerks use', () => {
    const b = column('bool');
    for (const t of ['是', 'Y', 'yes', '1', '√', 'TRUE', true]) expect(value(t, b)).toBe(1);
    for (const t of ['否', 'n', 'No', '0', '×', false]) expect(value(t, b)).toBe(0);
    expect(value('也许', b)).toBe('io.not_bool');
  });

  it('enums accept the Chinese label, the English key in any case, or an alias', () => {
    const type = getKind('schools').columns.find((c) => c.key === 'school_type')!;
    expect(value('九年一贯制学校', type)).toBe('nine_year');
    expect(value('九年一贯制', type)).toBe('nine_year');
    expect(value('Nine_Year', type)).toBe('nine_year');
    expect(value('初中', type)).toBe('junior');
    expect(value('大学', type)).toBe('io.not_allowed');
  });

  it('grades: G7, 初一, 七年级 are the same grade', () => {
    const g = column('grade');
    expect(['G7', 'g7', '初一', '七年级', '初中一年级'].map((t) => value(t, g))).toEqual([
      'G7',
      'G7',
      'G7',
      'G7',
      'G7',
    ]);
    expect(value('小班', g)).toBe('K1');
    expect(value('十三年级', g)).toBe('io.not_allowed');
  });

  it('ID numbers: trimmed, x made X, checked with GB 11643; a number is never accepted', () => {
    const idCol = column('id_number');
    const withX = Array.from({ length: 200 }, (_, i) => makeIdNumber('411402', '2017-09-01', i)).find((x) =>
      x.endsWith('X'),
    )!;
    expect(value(` ${withX.toLowerCase()} `, idCol)).toBe(withX);
    const good = makeIdNumber('411402', '2017-09-01', 3);
    expect(value(good, idCol)).toBe(good);
    expect(value(Number(good), idCol)).toBe('io.number_precision');
    expect(value(`${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`, idCol)).toBe('io.id_check_digit');
  });

  it('codes: an exact integer from a numeric cell is fine, a number past 15 digits is not', () => {
    const code = column('school_code');
    expect(value(4114020001, code)).toBe('4114020001');
    expect(value('="4114020001"', column('text'))).toBe('4114020001');
    expect(value(4.11402201709e17, column('text'))).toBe('io.number_precision');
    expect(value('41140', column('region_code'))).toBe('io.region_code_format');
  });

  it('exports write labels and 是/否, which import back to the same keys', () => {
    const kind = getKind('students');
    for (const col of kind.columns) {
      const sample = { bool: 1, enum: col.options?.[1]?.key, grade: 'G8' }[col.type as 'bool'];
      if (sample === undefined) continue;
      expect(value(formatValue(sample, col), col)).toBe(sample);
    }
  });
});

describe('headers', () => {
  const kind = getKind('students');
  it('match the Chinese header, the English key in any case, an alias, with marks and spaces ignored', () => {
    for (const h of ['身份证号', 'ID_NUMBER', ' 身份证号码 ', '*身份证号', '公民身份号码']) {
      expect(matchHeader(kind.columns, h)?.key, h).toBe('id_number');
    }
    expect(matchHeader(kind.columns, '身份证')).toBeUndefined();
  });
});

describe('masking', () => {
  it('keeps the family name and the region and last four digits; 学籍号 only when it holds an ID number', () => {
    expect(cellText('张三丰', 'name')).toBe('张**');
    expect(cellText('411402201709010023', 'id_number')).toBe('411402********0023');
    expect(maskPersonal('G411402201709010023', 'embedded_id')).not.toContain('20170901');
    expect(maskPersonal('L2025000003', 'embedded_id')).toBe('L2025000003');
  });
});
