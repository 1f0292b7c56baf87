import type { ColumnSpec, ImportKind } from '../spec.ts';
import { col, exporter, regionOf, tableSession, uniqueKey } from './common.ts';

export const regionColumn = (over: Partial<ColumnSpec> = {}): ColumnSpec => ({
  key: 'region_code',
  header: '行政区划代码',
  aliases: ['区划代码', '地区代码'],
  type: 'region_code',
  required: true,
  zh: '县（市、区）6 位或乡镇（街道）9 位行政区划代码，必须已在系统中',
  en: 'the 6-digit county or 9-digit township region code; the region must exist',
  example: '411402',
  ...over,
});

const COLUMNS: readonly ColumnSpec[] = [
  regionColumn(),
  col.year({
    header: '出生年份',
    aliases: ['年份', '年度'],
    zh: '出生的日历年份',
    en: 'the calendar year of birth',
    example: 2024,
    min: 1950,
  }),
  col.count('births', '出生人数', '该年份在该地区出生的人数', 'live births in the region that year', {
    required: true,
    blank: undefined,
    example: 6100,
  }),
];

/** 出生人口: births per region and calendar year, behind the forecast's entry grades. */
export const birthsKind: ImportKind = {
  name: 'births',
  table: 'births',
  title: { zh: '出生人口', en: 'Births' },
  naturalKey: { fields: ['region_code', 'year'], zh: '行政区划代码 + 出生年份', en: 'region code + year' },
  columns: COLUMNS,
  open: () =>
    tableSession({
      table: 'births',
      columns: ['region_code', 'county_code', 'year', 'births', 'synthetic'],
      keyColumns: ['region_code', 'year'],
      defaults: { synthetic: 0 },
      keys: [uniqueKey(['region_code', 'year'])],
      build(v, ctx) {
        const region = regionOf(v, ctx, 'region_code', ['county', 'township']);
        if (!region) return undefined;
        return { region_code: region.code, county_code: region.county, year: v.year, births: v.births };
      },
    }),
  exporter: exporter(['region_code', 'year'], (r) => ({
    region_code: r.region_code,
    year: r.year,
    births: r.births,
  })),
};
