import { PROJECT_STATUS_LABELS, PROJECT_STATUSES } from '../../forecast/supply.ts';
import type { ColumnSpec, EnumOption, ImportKind } from '../spec.ts';
import { regionColumn } from './births.ts';
import { col, exporter, regionOf, schoolCodeOf, schoolOf, tableSession, uniqueKey } from './common.ts';
import { STAGE_OPTIONS } from './options.ts';

const STATUS_OPTIONS: readonly EnumOption[] = PROJECT_STATUSES.map((s) => ({
  key: s,
  label: PROJECT_STATUS_LABELS[s].zh,
  aliases: {
    planned: ['拟建', '规划中'],
    approved: ['已批复', '已审批'],
    under_construction: ['建设中'],
    completed: ['已完工', '已交付'],
  }[s],
}));

const COLUMNS: readonly ColumnSpec[] = [
  {
    key: 'code',
    header: '项目编号',
    aliases: ['项目代码'],
    type: 'text',
    required: true,
    maxLength: 40,
    zh: '建设项目的编号（本局或发改部门编号），唯一',
    en: 'the building project’s id (the bureau’s or the development office’s), unique',
    example: 'XM2025-001',
  },
  {
    key: 'name',
    header: '项目名称',
    type: 'text',
    required: true,
    maxLength: 100,
    zh: '项目名称',
    en: 'the project’s name',
    example: '梁园区第二实验小学新建工程',
  },
  regionColumn({
    zh: '新增学位所在县（6 位）或乡镇（街道，9 位）代码',
    en: 'the county (6 digits) or township (9 digits) the seats are for',
  }),
  col.schoolCode({
    required: false,
    zh: '扩建的学校，或已登记的新建学校的学校标识码；新建学校尚未登记时留空',
    en: 'the school extended, or the new school once registered; blank for a new school not yet registered',
  }),
  {
    key: 'stage',
    header: '学段',
    type: 'enum',
    required: true,
    options: STAGE_OPTIONS,
    zh: '新增学位的学段：学前、小学、初中、高中阶段',
    en: 'the stage of the seats: kindergarten, primary, junior, senior',
    example: '小学',
  },
  col.count('seats', '新增学位', '项目新增的学位数', 'seats the project adds', {
    required: true,
    blank: undefined,
    example: 2700,
  }),
  col.year({
    key: 'delivery_year',
    header: '交付年份',
    aliases: ['投用年份', '竣工年份'],
    zh: '计划或实际投入使用的学年：学位从该学年起计入',
    en: 'the school year the seats are (or are planned to be) in use from',
    example: 2027,
  }),
  {
    key: 'status',
    header: '状态',
    aliases: ['项目状态'],
    type: 'enum',
    required: true,
    options: STATUS_OPTIONS,
    zh: '规划、已立项、在建 或 已建成（已建成的学位应已在学校的规划班数中）',
    en: 'planned, approved, under_construction or completed (a completed project’s seats belong in the school’s planned classes)',
    example: '在建',
  },
];

/** 建设项目: the school-building pipeline whose seats the forecast balance counts from the delivery year. */
export const projectsKind: ImportKind = {
  name: 'projects',
  table: 'projects',
  title: { zh: '建设项目', en: 'Building projects' },
  naturalKey: { fields: ['code'], zh: '项目编号', en: 'project code' },
  columns: COLUMNS,
  open: () => {
    const session = tableSession({
      table: 'projects',
      columns: [
        'code',
        'name',
        'county_code',
        'region_code',
        'school_id',
        'stage',
        'seats',
        'delivery_year',
        'status',
        'synthetic',
      ],
      keyColumns: ['code'],
      defaults: { synthetic: 0, school_id: null },
      keys: [uniqueKey(['code'])],
      build(v, ctx) {
        const region = regionOf(v, ctx, 'region_code', ['county', 'township']);
        const school = v.school_code == null ? null : schoolOf(v, ctx);
        if (!region || school === undefined) return undefined;
        if (school && school.county_code !== region.county) {
          ctx.fail(
            'school_code',
            `学校 ${school.code} 不在 ${region.code} 所在的县（市、区）`,
            `school ${school.code} is not in the county of ${region.code}`,
            'io.school_region',
          );
          return undefined;
        }
        return {
          code: v.code,
          name: v.name,
          county_code: region.county,
          region_code: region.code,
          school_id: school?.id ?? null,
          stage: v.stage,
          seats: v.seats,
          delivery_year: v.delivery_year,
          status: v.status,
        };
      },
    });
    // The time of the write, not a column to compare: an unchanged row stays unchanged on re-import.
    return {
      ...session,
      write: (trx, rows) =>
        session.write(
          trx,
          rows.map((r) => ({ ...r, updated_at: new Date().toISOString() })),
        ),
    };
  },
  exporter: exporter(['code'], (r, lookups) => ({
    code: r.code,
    name: r.name,
    region_code: r.region_code,
    school_code: schoolCodeOf(lookups, r.school_id),
    stage: r.stage,
    seats: r.seats,
    delivery_year: r.delivery_year,
    status: r.status,
  })),
};
