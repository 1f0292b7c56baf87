import type { Grade } from '../../domain/stages.ts';
import type { ColumnSpec, ImportKind } from '../spec.ts';
import { col, exporter, gradeTaught, schoolCodeOf, schoolOf, tableSession, uniqueKey } from './common.ts';

const COLUMNS: readonly ColumnSpec[] = [
  col.schoolCode(),
  col.year(),
  col.grade(),
  {
    key: 'class_no',
    header: '班号',
    aliases: ['班级号', '班级'],
    type: 'int',
    required: true,
    min: 1,
    max: 99,
    zh: '年级内的班号：1 表示 1 班',
    en: 'the class number within the grade: 1 for class 1',
    example: 1,
  },
  col.count('size', '班额', '该班学生人数', 'pupils in the class', {
    required: true,
    blank: undefined,
    max: 200,
    example: 45,
  }),
];

/** 班级: classes per school, year and grade, with their size (班额). */
export const classesKind: ImportKind = {
  name: 'classes',
  table: 'classes',
  title: { zh: '班级', en: 'Classes' },
  naturalKey: {
    fields: ['school_code', 'year', 'grade', 'class_no'],
    zh: '学校标识码 + 学年 + 年级 + 班号',
    en: 'school code + year + grade + class number',
  },
  columns: COLUMNS,
  open: () =>
    tableSession({
      table: 'classes',
      columns: ['school_id', 'county_code', 'year', 'grade', 'class_no', 'size', 'synthetic'],
      keyColumns: ['school_id', 'year', 'grade', 'class_no'],
      matchBy: ['school_id', 'year'],
      defaults: { synthetic: 0 },
      keys: [
        uniqueKey(['school_code', 'year', 'grade', 'class_no'], ['school_id', 'year', 'grade', 'class_no']),
      ],
      build(v, ctx) {
        const school = schoolOf(v, ctx);
        if (!school || !gradeTaught(school, v.grade as Grade, ctx)) return undefined;
        return {
          school_id: school.id,
          county_code: school.county_code,
          year: v.year,
          grade: v.grade,
          class_no: v.class_no,
          size: v.size,
        };
      },
    }),
  exporter: exporter(['id'], (r, l) => ({
    school_code: schoolCodeOf(l, r.school_id),
    year: r.year,
    grade: r.grade,
    class_no: r.class_no,
    size: r.size,
  })),
};
