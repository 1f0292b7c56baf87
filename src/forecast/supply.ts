/**
 * Seats (学位供给) per area, stage and year: each school's planned classes (规划班数) × the standard
 * class size, plus the build pipeline — a project's seats count from its delivery year on, if its
 * status is one that counts. Pure over plain rows (`computeSupply`), with a loader beside it.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../domain/errors.ts';
import { GRADES, type Grade, STAGE_GRADES, type Stage, stageOfGrade } from '../domain/stages.ts';
import type { Database } from '../store/schema.ts';
import type { AreaSet } from './areas.ts';

type Db = Kysely<Database>;

/** Stages of a school-building project. `completed` projects are already in the schools' capacity. */
export const PROJECT_STATUSES = ['planned', 'approved', 'under_construction', 'completed'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export const PROJECT_STATUS_LABELS: Record<ProjectStatus, { zh: string; en: string }> = {
  planned: { zh: '规划', en: 'planned' },
  approved: { zh: '已立项', en: 'approved' },
  under_construction: { zh: '在建', en: 'under construction' },
  completed: { zh: '已建成', en: 'completed' },
};

/**
 * 标准班额 by grade: primary 45, junior and senior 50 (the national standards), kindergarten by class
 * type — 小班 25, 中班 30, 大班 35 (幼儿园工作规程).
 */
export const STANDARD_CLASS_SIZE: Record<Grade, number> = Object.fromEntries(
  GRADES.map((g) => {
    const kindergarten: Partial<Record<Grade, number>> = { K1: 25, K2: 30, K3: 35 };
    return [g, kindergarten[g] ?? (stageOfGrade(g) === 'primary' ? 45 : 50)];
  }),
) as Record<Grade, number>;

export interface SupplyOptions {
  /**
   * `stored`: each school's own standard class size from its capacity rows (a special school's 12,
   * say), the standard size where a row has none; `standard`: the standard sizes for every school.
   */
  classSize: 'stored' | 'standard';
  /** The standard sizes; override a grade to model a changed norm. */
  standardSizes: Record<Grade, number>;
  /** The project statuses whose seats count from the delivery year. */
  countStatuses: readonly ProjectStatus[];
}

/**
 * Approved and building projects count; planned ones only when asked (a scenario), and completed ones
 * never — once built, their classes are in the school's capacity rows, and adding them would count
 * them twice.
 */
export const DEFAULT_SUPPLY_OPTIONS: SupplyOptions = {
  classSize: 'stored',
  standardSizes: STANDARD_CLASS_SIZE,
  countStatuses: ['approved', 'under_construction'],
};

export interface CapacityRow {
  schoolId: number;
  grade: Grade;
  plannedClasses: number;
  standardClassSize: number;
}

export interface ProjectRow {
  id: number;
  code: string;
  name: string;
  schoolId: number | null;
  /** County or township the seats are for. */
  regionCode: string;
  countyCode: string;
  stage: Stage;
  seats: number;
  deliveryYear: number;
  status: ProjectStatus;
}

export interface AreaSupply {
  /** Capacity of the area's schools by grade: planned classes and seats. */
  grades: Partial<Record<Grade, { classes: number; seats: number }>>;
  /** The area's projects; `counts` says whether their seats are added. */
  projects: (ProjectRow & { counts: boolean })[];
}

export interface Supply {
  options: SupplyOptions;
  areas: Map<string, AreaSupply>;
  /** Projects no area of the set holds (a county-wide project in a township forecast, say). */
  unplaced: ProjectRow[];
}

/** Where a project's seats go: its school's area, else the area its region code names. */
function areaOfProject(p: ProjectRow, set: Pick<AreaSet, 'level' | 'areaOfSchool' | 'areas'>) {
  if (p.schoolId !== null) {
    const a = set.areaOfSchool.get(p.schoolId);
    if (a) return a;
  }
  if (set.level === 'catchment') return undefined;
  const code = set.level === 'county' ? p.countyCode : p.regionCode;
  return set.areas.some((a) => a.id === code) ? code : undefined;
}

/**
 * Capacity and pipeline per area. `{ schoolId: 1, grade: 'G1', plannedClasses: 4, standardClassSize: 45 }`
 * in area A gives A's G1 `{ classes: 4, seats: 180 }`.
 */
export function computeSupply(
  set: Pick<AreaSet, 'level' | 'areaOfSchool' | 'areas'>,
  capacity: readonly CapacityRow[],
  projects: readonly ProjectRow[],
  options: SupplyOptions = DEFAULT_SUPPLY_OPTIONS,
): Supply {
  const areas = new Map<string, AreaSupply>(set.areas.map((a) => [a.id, { grades: {}, projects: [] }]));
  for (const c of capacity) {
    const area = set.areaOfSchool.get(c.schoolId);
    if (!area) continue;
    const size =
      options.classSize === 'stored' && c.standardClassSize > 0
        ? c.standardClassSize
        : options.standardSizes[c.grade];
    const g = areas.get(area)!.grades;
    const cell = g[c.grade] ?? { classes: 0, seats: 0 };
    cell.classes += c.plannedClasses;
    cell.seats += c.plannedClasses * size;
    g[c.grade] = cell;
  }
  const unplaced: ProjectRow[] = [];
  for (const p of projects) {
    const area = areaOfProject(p, set);
    if (area) areas.get(area)!.projects.push({ ...p, counts: options.countStatuses.includes(p.status) });
    else unplaced.push(p);
  }
  for (const a of areas.values())
    a.projects.sort((x, y) => x.deliveryYear - y.deliveryYear || x.code.localeCompare(y.code));
  return { options, areas, unplaced };
}

export interface StageSeats {
  seats: number;
  /** Of which from projects delivered by this year. */
  projectSeats: number;
  /** Planned classes by grade, a project's seats spread evenly over the stage's grades as standard classes. */
  classes: Partial<Record<Grade, number>>;
}

/** The seats and classes of an area's stage in a school year. */
export function stageSeats(a: AreaSupply, stage: Stage, year: number, options: SupplyOptions): StageSeats {
  const grades = STAGE_GRADES[stage];
  let seats = 0;
  const classes: Partial<Record<Grade, number>> = {};
  for (const g of grades) {
    seats += a.grades[g]?.seats ?? 0;
    classes[g] = a.grades[g]?.classes ?? 0;
  }
  let projectSeats = 0;
  for (const p of a.projects)
    if (p.counts && p.stage === stage && p.deliveryYear <= year) projectSeats += p.seats;
  if (projectSeats > 0)
    for (const g of grades)
      classes[g]! += Math.round(projectSeats / grades.length / options.standardSizes[g]);
  return { seats: seats + projectSeats, projectSeats, classes };
}

/** Reads the capacity rows and projects of an area set's counties and computes its supply. */
export async function loadSupply(db: Db, set: AreaSet, options = DEFAULT_SUPPLY_OPTIONS): Promise<Supply> {
  const counties = set.region.counties.length ? set.region.counties : [''];
  const [capacity, projects] = await Promise.all([
    db
      .selectFrom('school_capacity')
      .select(['school_id', 'grade', 'planned_classes', 'standard_class_size'])
      .where('county_code', 'in', counties)
      .execute(),
    db
      .selectFrom('projects')
      .select([
        'id',
        'code',
        'name',
        'school_id',
        'region_code',
        'county_code',
        'stage',
        'seats',
        'delivery_year',
        'status',
      ])
      .where('county_code', 'in', counties)
      .execute(),
  ]);
  return computeSupply(
    set,
    capacity.map((c) => ({
      schoolId: Number(c.school_id),
      grade: c.grade as Grade,
      plannedClasses: Number(c.planned_classes),
      standardClassSize: Number(c.standard_class_size),
    })),
    projects.map((p) => ({
      id: Number(p.id),
      code: p.code,
      name: p.name,
      schoolId: p.school_id === null ? null : Number(p.school_id),
      regionCode: p.region_code,
      countyCode: p.county_code,
      stage: p.stage as Stage,
      seats: Number(p.seats),
      deliveryYear: Number(p.delivery_year),
      status: p.status as ProjectStatus,
    })),
    options,
  );
}

/** `--count planned,approved` → statuses; an unknown one fails naming the option. */
export function parseStatuses(v: string, field = '--count'): ProjectStatus[] {
  const list = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of list)
    if (!(PROJECT_STATUSES as readonly string[]).includes(s))
      throw new AppError(
        'forecast.unknown_status',
        `未知的项目状态 ${s}：可用 ${PROJECT_STATUSES.join('、')}`,
        `unknown project status ${s}: use ${PROJECT_STATUSES.join(', ')}`,
        field,
      );
  return list as ProjectStatus[];
}
