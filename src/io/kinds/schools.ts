import {
  DEFAULT_CLASS_SIZE,
  GRADE_LABELS,
  GRADES,
  SCHOOL_TYPE_LABELS,
  SCHOOL_TYPE_STAGES,
  type SchoolType,
  STAGE_GRADES,
  STAGES,
  type Stage,
} from '../../domain/stages.ts';
import { nowIso } from '../../domain/time.ts';
import { insertRows, upsertRows } from '../../store/bulk.ts';
import type { ColumnSpec, ImportKind, KindSession, Rec } from '../spec.ts';
import { changedColumns, regionOf, uniqueKey, untyped } from './common.ts';
import { LOCALE_OPTIONS, OWNERSHIP_OPTIONS, SCHOOL_TYPE_OPTIONS } from './options.ts';

const STAGE_HEADER: Record<Stage, string> = {
  kindergarten: '幼儿园',
  primary: '小学',
  junior: '初中',
  senior: '高中',
};

const capacityColumns = (s: Stage): ColumnSpec[] => [
  {
    key: `${s}_classes`,
    header: `${STAGE_HEADER[s]}每年级规划班数`,
    type: 'int_list',
    min: 0,
    max: 100,
    zh: `${STAGE_HEADER[s]}学段每个年级的规划班数（该校含此学段时填写）：一个数适用于每个年级；各年级不同时按年级顺序用“、”分隔，如 ${STAGE_GRADES[s].map((_, i) => 4 + (i % 2)).join('、')}`,
    en: `planned classes per grade in the ${s} stage (when the school teaches it): one number for every grade, or one per grade in order separated by 、, e.g. ${STAGE_GRADES[s].map((_, i) => 4 + (i % 2)).join('、')}`,
    example: s === 'primary' ? 4 : '',
  },
  {
    key: `${s}_class_size`,
    header: `${STAGE_HEADER[s]}标准班额`,
    type: 'int_list',
    min: 1,
    max: 100,
    zh: `${STAGE_HEADER[s]}学段的标准班额（空白取默认 ${DEFAULT_CLASS_SIZE[s]} 人；各年级不同时同样用“、”分隔）`,
    en: `standard class size in the ${s} stage (blank: the default ${DEFAULT_CLASS_SIZE[s]}; one per grade separated by 、 if they differ)`,
    example: s === 'primary' ? 45 : '',
  },
];

const CAPACITY_FIELDS = STAGES.flatMap((s) => [`${s}_classes`, `${s}_class_size`]);

const COLUMNS: readonly ColumnSpec[] = [
  {
    key: 'school_code',
    header: '学校标识码',
    aliases: ['学校代码', '学校编码'],
    type: 'school_code',
    required: true,
    zh: '10 位学校标识码（或本局自编代码），唯一；请设为“文本”格式',
    en: 'the 10-digit school code (or the bureau’s own id), unique; format the column as Text',
    example: '2141140201',
  },
  {
    key: 'name',
    header: '学校名称',
    aliases: ['学校全称'],
    type: 'text',
    required: true,
    maxLength: 100,
    zh: '学校全称',
    en: 'the school’s full name',
    example: '商丘市梁园区第一实验小学',
  },
  {
    key: 'county_code',
    header: '县（市、区）代码',
    aliases: ['县区代码', '所在县区代码'],
    type: 'region_code',
    required: true,
    zh: '学校所在县（市、区）6 位行政区划代码；市直学校填市级代码',
    en: 'the 6-digit code of the county the school is in; a city-run school gives the city’s code',
    example: '411402',
  },
  {
    key: 'township_code',
    header: '乡镇（街道）代码',
    aliases: ['乡镇代码', '街道代码'],
    type: 'region_code',
    zh: '所在乡镇（街道）9 位代码，前 6 位须为县（市、区）代码；系统中没有时按“乡镇（街道）名称”新建（可空）',
    en: 'the 9-digit township code, starting with the county code; created from the township name if new (may be blank)',
    example: '411402001',
  },
  {
    key: 'township_name',
    header: '乡镇（街道）名称',
    aliases: ['乡镇名称', '街道名称'],
    type: 'text',
    maxLength: 50,
    zh: '新建乡镇（街道）时的名称；已有的乡镇不改名',
    en: 'the township’s name, used when it is new; existing townships are not renamed',
    example: '平原街道',
  },
  {
    key: 'school_type',
    header: '学校类型',
    aliases: ['办学类型', '学段类型'],
    type: 'enum',
    required: true,
    options: SCHOOL_TYPE_OPTIONS,
    zh: '幼儿园、小学、初级中学、九年一贯制学校、完全中学、高级中学、十二年一贯制学校、中等职业学校、特殊教育学校',
    en: 'kindergarten, primary, junior, nine_year, complete_secondary, senior, twelve_year, vocational, special',
    example: '小学',
  },
  {
    key: 'ownership',
    header: '办学性质',
    aliases: ['举办者类型', '公办民办'],
    type: 'enum',
    required: true,
    options: OWNERSHIP_OPTIONS,
    zh: '公办 或 民办',
    en: 'public or private',
    example: '公办',
  },
  {
    key: 'inclusive',
    header: '普惠性',
    aliases: ['是否普惠'],
    type: 'bool',
    zh: '民办幼儿园是否为普惠性幼儿园：是/否（空白为否；只适用于幼儿园）',
    en: 'whether a private kindergarten is inclusive (普惠性): 是/否, blank no; kindergartens only',
    example: '否',
  },
  {
    key: 'locale',
    header: '城乡分类',
    aliases: ['城乡类型', '所在地类型'],
    type: 'enum',
    required: true,
    options: LOCALE_OPTIONS,
    zh: '城区、镇区 或 乡村',
    en: 'urban, town or rural',
    example: '城区',
  },
  {
    key: 'lng',
    header: '经度',
    type: 'number',
    min: 73,
    max: 136,
    zh: '学校位置经度（十进制度，如 115.65；可空，须与纬度同填）',
    en: 'longitude in decimal degrees (may be blank; with the latitude)',
    example: 115.6506,
  },
  {
    key: 'lat',
    header: '纬度',
    type: 'number',
    min: 3,
    max: 54,
    zh: '学校位置纬度（十进制度，如 34.41；可空，须与经度同填）',
    en: 'latitude in decimal degrees (may be blank; with the longitude)',
    example: 34.4143,
  },
  {
    key: 'boarding',
    header: '寄宿制',
    aliases: ['是否寄宿制'],
    type: 'bool',
    zh: '是否寄宿制学校：是/否（空白为否）',
    en: 'boarding school: 是/否 (blank no)',
    example: '否',
  },
  {
    key: 'address',
    header: '地址',
    aliases: ['学校地址'],
    type: 'text',
    maxLength: 200,
    zh: '学校地址（可空）',
    en: 'address (may be blank)',
    example: '商丘市梁园区平原路 1 号',
  },
  ...STAGES.flatMap(capacityColumns),
];

const DB_COLUMNS = [
  'code',
  'name',
  'county_code',
  'township_code',
  'school_type',
  'ownership',
  'inclusive',
  'locale',
  'lng',
  'lat',
  'boarding',
  'address',
  'synthetic',
  '_capacity',
] as const;

/** Capacity as compact entries, in grade order: [grade, planned classes, standard class size]. */
type Capacity = [string, number, number][];

function sortCapacity(c: Capacity): Capacity {
  return c.sort((a, b) => GRADES.indexOf(a[0] as never) - GRADES.indexOf(b[0] as never));
}

function open(): KindSession {
  const newTownships = new Map<string, { name: string; county: string; row: number }>();
  return {
    columns: DB_COLUMNS,
    defaults: {
      township_code: null,
      inclusive: 0,
      lng: null,
      lat: null,
      boarding: 0,
      address: null,
      synthetic: 0,
      _capacity: null,
    },
    keys: [uniqueKey(['school_code'], ['code'])],
    build(v, ctx) {
      const county = regionOf(v, ctx, 'county_code', ['county', 'city']);
      if (!county) return undefined;
      const type = v.school_type as SchoolType;
      let ok = true;
      const fail = (field: string, zh: string, en: string, code?: string) => {
        ctx.fail(field, zh, en, code);
        ok = false;
      };

      const township = v.township_code as string | null | undefined;
      const townshipName = v.township_name as string | null | undefined;
      if (typeof township === 'string') {
        const region = ctx.lookups.regions.get(township);
        const planned = newTownships.get(township);
        if (township.length !== 9 || !township.startsWith(county.code)) {
          fail(
            'township_code',
            `乡镇（街道）代码应为 9 位且以县（市、区）代码 ${county.code} 开头`,
            `a township code has 9 digits and starts with the county code ${county.code}`,
            'io.region_mismatch',
          );
        } else if (region) {
          if (region.level !== 'township' || region.parent_code !== county.code) {
            fail(
              'township_code',
              `${township}（${region.name}）不是 ${county.code} 下的乡镇（街道）`,
              `${township} (${region.name}) is not a township of ${county.code}`,
              'io.region_mismatch',
            );
          }
        } else if (planned) {
          if (typeof townshipName === 'string' && townshipName !== planned.name) {
            fail(
              'township_name',
              `与第 ${planned.row} 行同一乡镇代码的名称不一致（${planned.name}）`,
              `differs from the name given for the same township in row ${planned.row} (${planned.name})`,
              'io.inconsistent',
            );
          }
        } else if (typeof townshipName === 'string') {
          newTownships.set(township, { name: townshipName, county: county.code, row: ctx.row });
        } else {
          fail(
            'township_code',
            `乡镇（街道）代码 ${township} 不存在：请在“乡镇（街道）名称”列填写名称以新建`,
            `No township has the code ${township}: give its name in the township-name column to create it`,
            'io.unknown_region',
          );
        }
      } else if (typeof townshipName === 'string') {
        fail(
          'township_name',
          '填写了乡镇（街道）名称，但没有乡镇（街道）代码',
          'a township name without a township code',
          'io.required',
        );
      }

      if (v.inclusive === 1 && type !== 'kindergarten') {
        fail(
          'inclusive',
          `“普惠性”只适用于幼儿园，${SCHOOL_TYPE_LABELS[type]}应填“否”或留空`,
          'inclusive (普惠性) applies to kindergartens only',
          'io.not_applicable',
        );
      }
      const hasLng = v.lng !== undefined && v.lng !== null;
      const hasLat = v.lat !== undefined && v.lat !== null;
      if (hasLng !== hasLat) {
        fail(
          hasLng ? 'lat' : 'lng',
          '经度和纬度须同时填写或同时留空',
          'give both longitude and latitude, or neither',
          'io.required',
        );
      }

      let capacity: Capacity | undefined;
      if (CAPACITY_FIELDS.some((f) => ctx.has(f))) {
        capacity = [];
        const taught = SCHOOL_TYPE_STAGES[type];
        for (const s of STAGES) {
          const classes = v[`${s}_classes`] as number[] | null | undefined;
          const size = v[`${s}_class_size`] as number[] | null | undefined;
          if (!taught.includes(s)) {
            if (classes?.some(Boolean) || size?.some(Boolean)) {
              fail(
                classes?.some(Boolean) ? `${s}_classes` : `${s}_class_size`,
                `${SCHOOL_TYPE_LABELS[type]}不含${STAGE_HEADER[s]}学段，此项应留空`,
                `a ${type} school has no ${s} stage; leave this blank`,
                'io.not_applicable',
              );
            }
            continue;
          }
          if (classes == null) {
            if (size != null) {
              fail(
                `${s}_classes`,
                `填写了${STAGE_HEADER[s]}标准班额，但没有规划班数`,
                `a ${s} class size without planned classes`,
                'io.required',
              );
            }
            continue;
          }
          const grades = STAGE_GRADES[s];
          const perGrade = (list: number[], field: string) => {
            if (list.length === 1 || list.length === grades.length) return true;
            fail(
              field,
              `应为一个数，或按年级的 ${grades.length} 个数（${grades.map((g) => GRADE_LABELS[g]).join('、')}），现有 ${list.length} 个`,
              `give one number, or ${grades.length} (one per grade ${grades.join(', ')}); found ${list.length}`,
              'io.list_length',
            );
            return false;
          };
          if (!perGrade(classes, `${s}_classes`) || (size && !perGrade(size, `${s}_class_size`))) continue;
          grades.forEach((g, i) => {
            const planned = classes.length === 1 ? classes[0] : classes[i];
            const standard = size ? (size.length === 1 ? size[0] : size[i]) : DEFAULT_CLASS_SIZE[s];
            capacity!.push([g, planned, standard]);
          });
        }
      }
      if (!ok) return undefined;
      return {
        code: v.school_code,
        name: v.name,
        county_code: county.code,
        township_code: township,
        school_type: type,
        ownership: v.ownership,
        inclusive: v.inclusive,
        locale: v.locale,
        lng: v.lng,
        lat: v.lat,
        boarding: v.boarding,
        address: v.address,
        _capacity: capacity,
      };
    },
    async match(db, chunk) {
      const codes = chunk.map((p) => String(p.rec.code));
      const rows = (await untyped(db)
        .selectFrom('schools')
        .selectAll()
        .where('code', 'in', codes)
        .execute()) as Rec[];
      const capacity = await capacityOf(
        db,
        rows.map((r) => Number(r.id)),
      );
      const byCode = new Map(
        rows.map((r) => [String(r.code), { ...r, _capacity: capacity.get(Number(r.id)) ?? [] }]),
      );
      for (const p of chunk) p.existing = byCode.get(String(p.rec.code));
    },
    changed: changedColumns(DB_COLUMNS.filter((c) => c !== 'synthetic')),
    sideWrites: () => newTownships.size,
    async beforeWrite(trx) {
      const rows = [...newTownships].map(([code, t]) => ({
        code,
        name: t.name,
        parent_code: t.county,
        level: 'township',
      }));
      await upsertRows(trx, 'regions', rows, ['code']);
    },
    async write(trx, rows) {
      const now = nowIso();
      await upsertRows(
        trx,
        'schools',
        rows.map(({ _capacity, ...r }) => ({ ...r, updated_at: now })),
        ['code'],
      );
      const replaced = rows.filter((r) => Array.isArray(r._capacity));
      if (replaced.length === 0) return;
      const ids = await trx
        .selectFrom('schools')
        .select(['id', 'code'])
        .where(
          'code',
          'in',
          replaced.map((r) => String(r.code)),
        )
        .execute();
      const idOf = new Map(ids.map((r) => [r.code, Number(r.id)]));
      await trx
        .deleteFrom('school_capacity')
        .where('school_id', 'in', [...idOf.values()])
        .execute();
      await insertRows(
        trx,
        'school_capacity',
        replaced.flatMap((r) =>
          (r._capacity as Capacity).map(([grade, planned, size]) => ({
            school_id: idOf.get(String(r.code))!,
            county_code: r.county_code,
            grade,
            planned_classes: planned,
            standard_class_size: size,
          })),
        ),
      );
    },
    notes() {
      if (newTownships.size === 0) return [];
      const names = [...newTownships.values()].map((t) => t.name).join('、');
      return [
        {
          zh: `新建乡镇（街道）${newTownships.size} 个：${names}`,
          en: `${newTownships.size} new township(s): ${names}`,
        },
      ];
    },
  };
}

async function capacityOf(
  db: Parameters<KindSession['match']>[0],
  ids: number[],
): Promise<Map<number, Capacity>> {
  const out = new Map<number, Capacity>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('school_capacity')
    .select(['school_id', 'grade', 'planned_classes', 'standard_class_size'])
    .where('school_id', 'in', ids)
    .execute();
  for (const r of rows) {
    const id = Number(r.school_id);
    if (!out.has(id)) out.set(id, []);
    out.get(id)!.push([r.grade, Number(r.planned_classes), Number(r.standard_class_size)]);
  }
  for (const c of out.values()) sortCapacity(c);
  return out;
}

/** 学校: schools with their location, type and capacity (planned classes and class size per stage). */
export const schoolsKind: ImportKind = {
  name: 'schools',
  table: 'schools',
  title: { zh: '学校', en: 'Schools' },
  naturalKey: { fields: ['school_code'], zh: '学校标识码', en: 'school code' },
  columns: COLUMNS,
  notes: [
    {
      zh: '办学规模按学段填写：每年级规划班数和标准班额展开到该学段的每个年级（九年一贯制学校小学、初中分别填写）；各年级不同时按年级顺序用“、”分隔，如 4、5、7。文件中有任一规模列时，该校原有的规模数据整体替换；文件中没有规模列时保持不变。',
      en: 'Capacity is given per stage: planned classes per grade and the standard class size apply to every grade of that stage (a nine-year school fills primary and junior separately); where the grades differ, give one number per grade in order, separated by 、 (4、5、7). If the file has any capacity column, the school’s capacity is replaced as a whole; without capacity columns it is kept.',
    },
    {
      zh: '不含的学段须留空（如小学不填初中各列）。',
      en: 'Stages the school type does not teach must be blank.',
    },
  ],
  open,
  exporter: {
    order: ['id'],
    async present(db, rows, lookups) {
      const capacity = await capacityOf(
        db,
        rows.map((r) => Number(r.id)),
      );
      return rows.map((r) => {
        const out: Rec = {
          school_code: r.code,
          name: r.name,
          county_code: r.county_code,
          township_code: r.township_code,
          township_name:
            r.township_code == null ? null : (lookups.regions.get(String(r.township_code))?.name ?? null),
          school_type: r.school_type,
          ownership: r.ownership,
          inclusive: r.inclusive,
          locale: r.locale,
          lng: r.lng,
          lat: r.lat,
          boarding: r.boarding,
          address: r.address,
        };
        const cap = capacity.get(Number(r.id)) ?? [];
        for (const s of STAGES) {
          const rows = STAGE_GRADES[s].map((g) => cap.find((c) => c[0] === g));
          const complete = rows.every((r) => r !== undefined);
          // A stage with rows for some grades only cannot be written per stage; the first grade stands in.
          const shown = complete ? (rows as Capacity) : rows.filter((r) => r !== undefined).slice(0, 1);
          out[`${s}_classes`] = shown.length ? shown.map((r) => r[1]) : null;
          out[`${s}_class_size`] = shown.length ? shown.map((r) => r[2]) : null;
        }
        return out;
      });
    },
  },
};
