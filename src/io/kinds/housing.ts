import type { ColumnSpec, ImportKind } from '../spec.ts';
import { regionColumn } from './births.ts';
import { col, exporter, regionOf, tableSession, uniqueKey } from './common.ts';
import { HOUSING_STATUS_OPTIONS } from './options.ts';

export const communityCodeColumn = (over: Partial<ColumnSpec> = {}): ColumnSpec => ({
  key: 'community_code',
  header: '社区代码',
  aliases: ['小区代码', '社区（小区）代码'],
  type: 'text',
  maxLength: 32,
  zh: '居住社区（小区、村）的代码，必须已在系统中（由学区划片导入建立）',
  en: 'the code of the residential community (小区/村); it must exist (catchment imports create communities)',
  example: '411402001001',
  ...over,
});

const COLUMNS: readonly ColumnSpec[] = [
  {
    key: 'code',
    header: '项目编号',
    aliases: ['楼盘编号', '项目代码'],
    type: 'text',
    required: true,
    maxLength: 40,
    zh: '住宅项目的编号（本局或住建部门编号），唯一',
    en: 'the housing project’s id (the bureau’s or the housing department’s), unique',
    example: 'FC2025-001',
  },
  {
    key: 'name',
    header: '项目名称',
    aliases: ['楼盘名称'],
    type: 'text',
    required: true,
    maxLength: 100,
    zh: '项目名称',
    en: 'the project’s name',
    example: '梁园区某某花园一期',
  },
  regionColumn({
    zh: '项目所在县（6 位）或乡镇（街道，9 位）代码',
    en: 'the county (6 digits) or township (9 digits) the project is in',
  }),
  communityCodeColumn({ required: false }),
  col.year({
    key: 'delivery_year',
    header: '交付年份',
    aliases: ['交房年份'],
    zh: '计划或实际交付（交房）的年份',
    en: 'the year the units are (or are planned to be) delivered',
    example: 2027,
  }),
  col.count('units', '住宅套数', '新增住宅套数', 'new residential units', {
    required: true,
    blank: undefined,
    example: 800,
  }),
  {
    key: 'status',
    header: '状态',
    aliases: ['项目状态'],
    type: 'enum',
    required: true,
    options: HOUSING_STATUS_OPTIONS,
    zh: '规划、已立项、在建 或 已交付',
    en: 'planned, approved, under_construction or delivered',
    example: '在建',
  },
];

/** 住宅项目: the housing pipeline (new units by delivery year) behind migration-adjusted forecasts. */
export const housingKind: ImportKind = {
  name: 'housing',
  table: 'housing',
  title: { zh: '住宅项目', en: 'Housing pipeline' },
  naturalKey: { fields: ['code'], zh: '项目编号', en: 'project code' },
  columns: COLUMNS,
  open: () =>
    tableSession({
      table: 'housing',
      columns: [
        'code',
        'name',
        'county_code',
        'region_code',
        'community_code',
        'delivery_year',
        'units',
        'status',
        'synthetic',
      ],
      keyColumns: ['code'],
      defaults: { synthetic: 0, community_code: null },
      keys: [uniqueKey(['code'])],
      build(v, ctx) {
        const region = regionOf(v, ctx, 'region_code', ['county', 'township']);
        if (!region) return undefined;
        const community = v.community_code;
        if (
          community !== undefined &&
          community !== null &&
          !ctx.lookups.communities.has(String(community))
        ) {
          ctx.fail(
            'community_code',
            `社区代码 ${community} 不存在：请先导入学区划片（会建立社区）`,
            `No community has the code ${community}: import the catchments (which create communities) first`,
            'io.unknown_community',
          );
          return undefined;
        }
        return {
          code: v.code,
          name: v.name,
          county_code: region.county,
          region_code: region.code,
          community_code: community,
          delivery_year: v.delivery_year,
          units: v.units,
          status: v.status,
        };
      },
    }),
  exporter: exporter(['id'], (r) => ({
    code: r.code,
    name: r.name,
    region_code: r.region_code,
    community_code: r.community_code,
    delivery_year: r.delivery_year,
    units: r.units,
    status: r.status,
  })),
};
