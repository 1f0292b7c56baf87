import type { ColumnSpec, ImportKind } from '../spec.ts';
import { regionColumn } from './births.ts';
import { col, exporter, regionOf, tableSession, uniqueKey } from './common.ts';

const COLUMNS: readonly ColumnSpec[] = [
  regionColumn(),
  col.year({
    header: '年份',
    aliases: ['统计年份', '年度'],
    zh: '人口统计的年份（年末或普查时点）',
    en: 'the year of the population count',
    example: 2024,
  }),
  {
    key: 'age',
    header: '年龄',
    aliases: ['周岁'],
    type: 'int',
    required: true,
    min: 0,
    max: 120,
    zh: '周岁年龄（单岁组，0–120）',
    en: 'age in completed years (single years, 0–120)',
    example: 6,
  },
  col.count('persons', '人数', '该年龄的常住人口数', 'resident persons of that age', {
    required: true,
    blank: undefined,
    example: 5800,
  }),
];

/** 分年龄人口: population by region, year and single year of age. */
export const populationKind: ImportKind = {
  name: 'population',
  table: 'population',
  title: { zh: '分年龄人口', en: 'Population by age' },
  naturalKey: {
    fields: ['region_code', 'year', 'age'],
    zh: '行政区划代码 + 年份 + 年龄',
    en: 'region code + year + age',
  },
  columns: COLUMNS,
  open: () =>
    tableSession({
      table: 'population',
      columns: ['region_code', 'county_code', 'year', 'age', 'persons', 'synthetic'],
      keyColumns: ['region_code', 'year', 'age'],
      matchBy: ['region_code', 'year'],
      defaults: { synthetic: 0 },
      keys: [uniqueKey(['region_code', 'year', 'age'])],
      build(v, ctx) {
        const region = regionOf(v, ctx, 'region_code', ['county', 'township']);
        if (!region) return undefined;
        return {
          region_code: region.code,
          county_code: region.county,
          year: v.year,
          age: v.age,
          persons: v.persons,
        };
      },
    }),
  exporter: exporter(['region_code', 'year', 'age'], (r) => ({
    region_code: r.region_code,
    year: r.year,
    age: r.age,
    persons: r.persons,
  })),
};
