import { SCHOOL_TYPE_LABELS, SCHOOL_TYPE_STAGES, STAGE_LABELS, type Stage } from '../../domain/stages.ts';
import { upsertRows } from '../../store/bulk.ts';
import type { ColumnSpec, ImportKind, KindSession } from '../spec.ts';
import { regionColumn } from './births.ts';
import { col, exporter, regionOf, schoolCodeOf, schoolOf, tableSession, uniqueKey } from './common.ts';
import { communityCodeColumn } from './housing.ts';
import { STAGE_OPTIONS } from './options.ts';

const COLUMNS: readonly ColumnSpec[] = [
  col.year({
    zh: '划片适用的招生学年，以开始的年份计',
    en: 'the admission year the catchment applies to, by the year it starts',
  }),
  {
    key: 'stage',
    header: '学段',
    type: 'enum',
    required: true,
    options: STAGE_OPTIONS,
    zh: '学前、小学、初中 或 高中阶段',
    en: 'kindergarten, primary, junior or senior',
    example: '小学',
  },
  communityCodeColumn({
    required: true,
    zh: '社区（小区、村）代码；系统中没有时按“社区名称”新建',
    en: 'the community (小区/村) code; created from the community name if new',
    example: '411402001001',
  }),
  {
    key: 'community_name',
    header: '社区名称',
    aliases: ['小区名称', '社区（小区）名称'],
    type: 'text',
    maxLength: 100,
    zh: '社区（小区、村）名称；新社区必填，已有社区填写不同名称即更名',
    en: 'the community’s name; required for a new community, and renames an existing one',
    example: '平原小区',
  },
  regionColumn({
    key: 'township_code',
    header: '乡镇（街道）代码',
    aliases: ['乡镇代码', '街道代码'],
    required: false,
    zh: '社区所在乡镇（街道）9 位代码（可空）',
    en: 'the 9-digit township the community is in (may be blank)',
    example: '411402001',
  }),
  col.schoolCode({
    zh: '划入学校的学校标识码；多校划片时每所学校一行',
    en: 'the code of a school serving the community; one row per school when several share it (多校划片)',
  }),
];

interface CommunityChange {
  code: string;
  name: string;
  county_code: string;
  township_code: string | null;
  row: number;
  isNew: boolean;
}

/** 学区划片: which schools serve which communities, per year and stage; creates or updates communities. */
export const catchmentsKind: ImportKind = {
  name: 'catchments',
  table: 'catchments',
  title: { zh: '学区划片', en: 'Catchments' },
  naturalKey: {
    fields: ['year', 'stage', 'community_code', 'school_code'],
    zh: '学年 + 学段 + 社区代码 + 学校标识码',
    en: 'year + stage + community code + school code',
  },
  columns: COLUMNS,
  notes: [
    {
      zh: '同一社区划给多所学校（多校划片）时，每所学校写一行。导入只增加或更新划片，不删除文件中没有的划片。',
      en: 'A community served by several schools (多校划片) takes one row per school. An import adds and updates pairs; it does not delete pairs missing from the file.',
    },
    { zh: '学校须含该学段（如初中划片只能划给含初中的学校）。', en: 'The school must teach the stage.' },
  ],
  open(lookups) {
    const communities = new Map<string, CommunityChange>();
    const firstRow = new Map<string, { name: string | null; township: string | null; row: number }>();
    const session: KindSession = tableSession({
      table: 'catchments',
      columns: ['county_code', 'year', 'stage', 'community_code', 'school_id', 'synthetic'],
      keyColumns: ['year', 'stage', 'community_code', 'school_id'],
      matchBy: ['community_code', 'year'],
      defaults: { synthetic: 0 },
      keys: [
        uniqueKey(
          ['year', 'stage', 'community_code', 'school_code'],
          ['year', 'stage', 'community_code', 'school_id'],
        ),
      ],
      build(v, ctx) {
        const school = schoolOf(v, ctx);
        if (!school) return undefined;
        const stage = v.stage as Stage;
        if (!SCHOOL_TYPE_STAGES[school.school_type].includes(stage)) {
          ctx.fail(
            'stage',
            `${SCHOOL_TYPE_LABELS[school.school_type]}不含${STAGE_LABELS[stage]}学段`,
            `a ${school.school_type} school does not teach the ${stage} stage`,
            'io.stage_not_taught',
          );
          return undefined;
        }
        const code = String(v.community_code);
        const name = (v.community_name as string | null | undefined) ?? null;
        let township = (v.township_code as string | null | undefined) ?? null;
        if (township !== null) {
          const t = regionOf(v, ctx, 'township_code', ['township']);
          if (!t) return undefined;
          township = t.code;
        }
        const earlier = firstRow.get(code);
        if (earlier) {
          if (name !== null && earlier.name !== null && name !== earlier.name) {
            ctx.fail(
              'community_name',
              `与第 ${earlier.row} 行同一社区的名称不一致（${earlier.name}）`,
              `differs from the name given for the same community in row ${earlier.row} (${earlier.name})`,
              'io.inconsistent',
            );
            return undefined;
          }
          if (township !== null && earlier.township !== null && township !== earlier.township) {
            ctx.fail(
              'township_code',
              `与第 ${earlier.row} 行同一社区的乡镇（街道）不一致`,
              `differs from the township given for the same community in row ${earlier.row}`,
              'io.inconsistent',
            );
            return undefined;
          }
        }
        const existing = lookups.communities.get(code);
        const planned = communities.get(code);
        if (!existing && !planned && name === null) {
          ctx.fail(
            ctx.has('community_name') ? 'community_name' : 'community_code',
            `社区代码 ${code} 不存在：新社区须填写社区名称`,
            `No community has the code ${code}: give the name of a new community`,
            'io.unknown_community',
          );
          return undefined;
        }
        if (!earlier) firstRow.set(code, { name, township, row: ctx.row });
        else
          firstRow.set(code, {
            name: earlier.name ?? name,
            township: earlier.township ?? township,
            row: earlier.row,
          });
        const county = existing?.county_code ?? (township ? township.slice(0, 6) : school.county_code);
        if (!existing) {
          const prev = planned;
          communities.set(code, {
            code,
            name: name ?? prev!.name,
            county_code: prev?.county_code ?? county,
            township_code: township ?? prev?.township_code ?? null,
            row: prev?.row ?? ctx.row,
            isNew: true,
          });
        } else {
          const newName = name ?? planned?.name ?? existing.name;
          const newTownship = township ?? planned?.township_code ?? existing.township_code;
          if (newName !== existing.name || newTownship !== existing.township_code) {
            communities.set(code, {
              code,
              name: newName,
              county_code: existing.county_code,
              township_code: newTownship,
              row: ctx.row,
              isNew: false,
            });
          }
        }
        return { county_code: county, year: v.year, stage, community_code: code, school_id: school.id };
      },
    });
    const created = () => [...communities.values()].filter((c) => c.isNew).length;
    return {
      ...session,
      sideWrites: () => communities.size,
      async beforeWrite(trx) {
        const rows = [...communities.values()].map((c) => ({
          code: c.code,
          name: c.name,
          county_code: c.county_code,
          township_code: c.township_code,
        }));
        await upsertRows(trx, 'communities', rows, ['code']);
      },
      notes() {
        if (communities.size === 0) return [];
        const n = created();
        const m = communities.size - n;
        return [
          {
            zh: `新建社区 ${n} 个，更新社区 ${m} 个`,
            en: `${n} new communit${n === 1 ? 'y' : 'ies'}, ${m} updated`,
          },
        ];
      },
    };
  },
  exporter: exporter(['year', 'stage', 'community_code', 'school_id'], (r, l) => {
    const c = l.communities.get(String(r.community_code));
    return {
      year: r.year,
      stage: r.stage,
      community_code: r.community_code,
      community_name: c?.name ?? null,
      township_code: c?.township_code ?? null,
      school_code: schoolCodeOf(l, r.school_id),
    };
  }),
};
