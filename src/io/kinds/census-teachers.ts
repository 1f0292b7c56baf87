import type { ColumnSpec, ImportKind } from '../spec.ts';
import { col, exporter, schoolCodeOf, schoolOf, tableSession, uniqueKey } from './common.ts';
import { SUBJECT_OPTIONS } from './options.ts';

export const subjectColumn = (over: Partial<ColumnSpec> = {}): ColumnSpec => ({
  key: 'subject',
  header: '学科',
  aliases: ['任教学科', '科目'],
  type: 'enum',
  required: true,
  options: SUBJECT_OPTIONS,
  zh: '学科，如 语文、数学、英语、道德与法治、科学、体育与健康、信息科技、学前教育、特殊教育、其他',
  en: 'the subject, e.g. 语文 (chinese), 数学 (math), 英语 (english), or its English key',
  example: '数学',
  ...over,
});

const COLUMNS: readonly ColumnSpec[] = [
  col.schoolCode(),
  col.year(),
  subjectColumn(),
  col.count('full_time_teachers', '专任教师数', '该学科专任教师人数', 'full-time teachers of the subject', {
    required: true,
    blank: undefined,
    example: 12,
  }),
];

/** 专任教师（分学科）: the census's full-time teachers per school, year and subject. */
export const censusTeachersKind: ImportKind = {
  name: 'census-teachers',
  table: 'census_teachers',
  title: { zh: '专任教师（分学科统计）', en: 'Full-time teachers by subject (census)' },
  naturalKey: {
    fields: ['school_code', 'year', 'subject'],
    zh: '学校标识码 + 学年 + 学科',
    en: 'school code + year + subject',
  },
  columns: COLUMNS,
  open: () =>
    tableSession({
      table: 'census_teachers',
      columns: ['school_id', 'county_code', 'year', 'subject', 'full_time_teachers', 'synthetic'],
      keyColumns: ['school_id', 'year', 'subject'],
      matchBy: ['school_id', 'year'],
      defaults: { synthetic: 0 },
      keys: [uniqueKey(['school_code', 'year', 'subject'], ['school_id', 'year', 'subject'])],
      build(v, ctx) {
        const school = schoolOf(v, ctx);
        if (!school) return undefined;
        return {
          school_id: school.id,
          county_code: school.county_code,
          year: v.year,
          subject: v.subject,
          full_time_teachers: v.full_time_teachers,
        };
      },
    }),
  exporter: exporter(['school_id', 'year', 'subject'], (r, l) => ({
    school_code: schoolCodeOf(l, r.school_id),
    year: r.year,
    subject: r.subject,
    full_time_teachers: r.full_time_teachers,
  })),
};
