/**
 * Planning scenarios (布局规划方案, docs/planning.md): a plan solved over the store's input, saved under a
 * name unique per county with the SHA-256 of its canonical input — the same RFC 8785 canonical JSON the
 * forecast runs fingerprint — so anyone can tell whether two plans were made over the same data.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Kysely } from 'kysely';
import { type AuditActor, writeAudit } from '../audit/audit-log.ts';
import { AppError } from '../domain/errors.ts';
import { DEFAULT_CLASS_SIZE, STAGE_LABELS } from '../domain/stages.ts';
import { type ParsedPlanningInput, parsePlanningInput } from '../engines/planning/contract.ts';
import { type PlanningResult, solvePlanning } from '../engines/planning/index.ts';
import type { ForecastRun } from '../forecast/runs.ts';
import { formatValue, isTextColumn } from '../io/cells.ts';
import { projectsKind } from '../io/kinds/projects.ts';
import { type Output, openTableWriter } from '../io/write/table-writer.ts';
import type { Database } from '../store/schema.ts';
import { LARGE_CLASS_OVER, planClassSizes, SUPER_LARGE_CLASS_OVER } from './class-sizes.ts';
import {
  loadPlanningInput,
  type PlanningFields,
  type PlanningOptions,
  type PlanningStage,
  type StorePlanningInput,
} from './input.ts';

type Db = Kysely<Database>;

export interface ScenarioParameters {
  options: PlanningOptions;
  forecastRun: { id: number | null; name: string | null; fingerprint: string };
  /** Planned classes of the stage per school code when the scenario was made. */
  classes: Record<string, number>;
  /**
   * The same per grade, and the forecast areas' pupils by grade with their demand points: what the
   * projected class sizes are computed from (absent in scenarios saved before them).
   */
  classesByGrade?: StorePlanningInput['classesByGrade'];
  areas?: { id: string; grades: StorePlanningInput['areas'][number]['grades']; points: string[] }[];
  skipped: { code: string; name: string; reason: string }[];
}

export interface Scenario {
  id: number | null;
  name: string | null;
  countyCode: string;
  stage: PlanningStage;
  targetYear: number;
  forecastRunId: number | null;
  parameters: ScenarioParameters;
  fingerprint: string;
  input: ParsedPlanningInput;
  result: PlanningResult;
  createdBy: string | null;
  createdAt: string | null;
}

/** Lowercase hex SHA-256 of the input's canonical JSON (RFC 8785), as forecast runs are fingerprinted. */
export function planningFingerprint(input: ParsedPlanningInput): string {
  return createHash('sha256').update(canonicalize(input)!, 'utf8').digest('hex');
}

/** Builds the input from the store and solves it: an unsaved scenario. */
export async function makeScenario(
  db: Db,
  o: { county: string; stage: PlanningStage; year: number; run: ForecastRun } & PlanningOptions & {
      sites?: ParsedPlanningInput['sites'];
    },
  fields?: PlanningFields,
): Promise<Scenario> {
  const built = await loadPlanningInput(db, o, fields);
  const input = parsePlanningInput(built.input);
  const { county, stage, year, run, sites: _sites, ...options } = o;
  return {
    id: null,
    name: null,
    countyCode: county,
    stage,
    targetYear: year,
    forecastRunId: run.id,
    parameters: {
      options,
      forecastRun: { id: run.id, name: run.name, fingerprint: run.fingerprint },
      classes: built.classes,
      classesByGrade: built.classesByGrade,
      areas: built.areas.map(({ id, grades, points }) => ({ id, grades, points })),
      skipped: built.skipped,
    },
    fingerprint: planningFingerprint(input),
    input,
    result: await solvePlanning(input),
    createdBy: null,
    createdAt: null,
  };
}

/** Saves a scenario under a name unique in its county; audited. A taken name fails naming `field`. */
export async function saveScenario(
  db: Db,
  s: Scenario,
  name: string,
  actor: AuditActor,
  field = '--save',
): Promise<Scenario> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 100)
    throw new AppError(
      'planning.scenario_name',
      '方案名称应为 1–100 个字符',
      'a scenario name has 1 to 100 characters',
      field,
    );
  return db.transaction().execute(async (tx) => {
    const taken = await tx
      .selectFrom('planning_scenarios')
      .select('id')
      .where('county_code', '=', s.countyCode)
      .where('name', '=', trimmed)
      .executeTakeFirst();
    if (taken)
      throw new AppError(
        'planning.scenario_exists',
        `${s.countyCode} 已有名为“${trimmed}”的规划方案`,
        `county ${s.countyCode} already has a planning scenario named "${trimmed}"`,
        field,
      );
    const createdAt = new Date().toISOString();
    const createdBy = actor.username ?? 'system';
    const row = await tx
      .insertInto('planning_scenarios')
      .values({
        name: trimmed,
        county_code: s.countyCode,
        stage: s.stage,
        target_year: s.targetYear,
        forecast_run_id: s.forecastRunId,
        parameters: JSON.stringify(s.parameters),
        fingerprint: s.fingerprint,
        input: JSON.stringify(s.input),
        result: JSON.stringify(s.result),
        created_by: createdBy,
        created_at: createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(tx, actor, {
      action: 'planning.run',
      resourceType: 'planning_scenarios',
      resourceId: Number(row.id),
      countyCode: s.countyCode,
      context: {
        name: trimmed,
        stage: s.stage,
        year: s.targetYear,
        forecast_run: s.parameters.forecastRun.name,
        fingerprint: s.fingerprint,
        status: s.result.status,
      },
    });
    return { ...s, id: Number(row.id), name: trimmed, createdBy, createdAt };
  });
}

/** What a list and a comparison show of a scenario (DOMAIN.md names; money in fen). */
export interface ScenarioSummary {
  id: number;
  name: string;
  countyCode: string;
  stage: PlanningStage;
  targetYear: number;
  forecastRun: string | null;
  fingerprint: string;
  status: PlanningResult['status'];
  gap: number | null;
  pupils: number | null;
  meanKm: number | null;
  maxKm: number | null;
  seatsAdded: number | null;
  spendFen: number | null;
  netCostFen: number | null;
  schoolsClosed: number | null;
  schoolsExpanded: number | null;
  newSchools: number | null;
  /**
   * Projected classes of 56 pupils or more (大班额 and 超大班额) ÷ all classes of the open schools after
   * the plan (src/planning/class-sizes.ts); null without a plan.
   */
  largeClassShare: number | null;
  /** The same for classes of 66 or more (超大班额). */
  superLargeClassShare: number | null;
  createdBy: string;
  createdAt: string;
}

/**
 * The plan's projected large-class shares (src/planning/class-sizes.ts): pupils by grade at each open
 * school ÷ its classes by grade after the plan, classes of 56+ and 66+ over all classes. A scenario saved
 * before the per-grade figures were kept gives each school's classes its mean size, pupils ÷ classes.
 */
export function largeClassShares(s: Pick<Scenario, 'stage' | 'parameters' | 'result'>): {
  largeClassShare: number | null;
  superLargeClassShare: number | null;
} {
  const plan = s.result.plan;
  if (!plan) return { largeClassShare: null, superLargeClassShare: null };
  const { classesByGrade, areas } = s.parameters;
  if (classesByGrade && areas) {
    const c = planClassSizes({ stage: s.stage, plan, classesByGrade, areas });
    return { largeClassShare: c.largeShare, superLargeClassShare: c.superLargeShare };
  }
  let all = 0;
  let large = 0;
  let superLarge = 0;
  const count = (classes: number, pupils: number) => {
    if (classes <= 0) return;
    all += classes;
    if (pupils / classes > LARGE_CLASS_OVER) large += classes;
    if (pupils / classes > SUPER_LARGE_CLASS_OVER) superLarge += classes;
  };
  for (const a of plan.schools)
    if (a.action !== 'close') count((s.parameters.classes[a.id] ?? 0) + a.extra_classes, a.pupils);
  for (const a of plan.sites)
    if (a.action === 'build') count(Math.ceil(a.seats / DEFAULT_CLASS_SIZE[s.stage]), a.pupils);
  return { largeClassShare: all ? large / all : 0, superLargeClassShare: all ? superLarge / all : 0 };
}

/** A saved scenario's figures (what a list and a comparison show). */
export function summaryOf(s: Scenario): ScenarioSummary {
  const m = s.result.plan?.summary;
  return {
    id: s.id!,
    name: s.name!,
    countyCode: s.countyCode,
    stage: s.stage,
    targetYear: s.targetYear,
    forecastRun: s.parameters.forecastRun.name,
    fingerprint: s.fingerprint,
    status: s.result.status,
    gap: s.result.gap,
    pupils: m?.pupils ?? null,
    meanKm: m?.mean_km ?? null,
    maxKm: m?.max_km ?? null,
    seatsAdded: m?.seats_added ?? null,
    spendFen: m?.spend_fen ?? null,
    netCostFen: m?.net_cost_fen ?? null,
    schoolsClosed: m?.schools_closed ?? null,
    schoolsExpanded: m?.schools_expanded ?? null,
    newSchools: m?.new_schools ?? null,
    ...largeClassShares(s),
    createdBy: s.createdBy!,
    createdAt: s.createdAt!,
  };
}

type ScenarioRow = Awaited<ReturnType<typeof selectScenarios>>[number];

function selectScenarios(
  db: Db,
  filter: { county?: string; countyPrefix?: string; name?: string; id?: number },
) {
  return db
    .selectFrom('planning_scenarios')
    .selectAll()
    .$if(filter.county !== undefined, (q) => q.where('county_code', '=', filter.county!))
    .$if(filter.countyPrefix !== undefined, (q) => q.where('county_code', 'like', `${filter.countyPrefix}%`))
    .$if(filter.name !== undefined, (q) => q.where('name', '=', filter.name!))
    .$if(filter.id !== undefined, (q) => q.where('id', '=', filter.id!))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

function scenarioOf(r: ScenarioRow): Scenario {
  return {
    id: Number(r.id),
    name: r.name,
    countyCode: r.county_code,
    stage: r.stage as PlanningStage,
    targetYear: Number(r.target_year),
    forecastRunId: r.forecast_run_id === null ? null : Number(r.forecast_run_id),
    parameters: JSON.parse(r.parameters) as ScenarioParameters,
    fingerprint: r.fingerprint,
    input: JSON.parse(r.input) as ParsedPlanningInput,
    result: JSON.parse(r.result) as PlanningResult,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

/** Saved scenarios, newest first; `countyPrefix` keeps a user's scope. */
export async function listScenarios(
  db: Db,
  filter: { county?: string; countyPrefix?: string } = {},
): Promise<ScenarioSummary[]> {
  return (await selectScenarios(db, filter)).map((r) => summaryOf(scenarioOf(r)));
}

/** A saved scenario by id, or by name (and county when several counties use the name); undefined if none. */
export async function findScenario(
  db: Db,
  key: { id: number } | { name: string; county?: string },
): Promise<Scenario | undefined> {
  const rows = await selectScenarios(db, key);
  if (rows.length > 1)
    throw new AppError(
      'planning.scenario_ambiguous',
      `有多个县的规划方案名为“${(key as { name: string }).name}”：请用 --county 指定`,
      `several counties have a scenario named "${(key as { name: string }).name}": give --county`,
      '--county',
    );
  return rows[0] ? scenarioOf(rows[0]) : undefined;
}

/** The scenario or a clear not-found error naming `field`. */
export async function requireScenario(
  db: Db,
  key: { id: number } | { name: string; county?: string },
  field = 'NAME',
): Promise<Scenario> {
  const s = await findScenario(db, key);
  if (!s) {
    const what = 'id' in key ? key.id : key.name;
    throw new AppError(
      'planning.scenario_not_found',
      `找不到规划方案 ${what}`,
      `no planning scenario ${what}`,
      field,
    );
  }
  return s;
}

/** Summaries side by side, in the order asked. */
export async function compareScenarios(db: Db, names: string[], county?: string): Promise<ScenarioSummary[]> {
  const out: ScenarioSummary[] = [];
  for (const name of names) out.push(summaryOf(await requireScenario(db, { name, county })));
  return out;
}

/** One row of the project list, keyed as the `projects` import kind's columns. */
export type ProjectRow = Record<
  'code' | 'name' | 'region_code' | 'school_code' | 'stage' | 'seats' | 'delivery_year' | 'status',
  string | number | null
> & { cost_fen: number };

/**
 * The plan's expansions and new schools as building projects (status 规划, delivered by the target year),
 * coded `GH<scenario id>-<n>` so that a re-import updates rather than duplicates them.
 */
export async function scenarioProjects(db: Db, s: Scenario): Promise<ProjectRow[]> {
  const plan = s.result.plan;
  if (!plan)
    throw new AppError(
      'planning.no_plan',
      `规划方案“${s.name}”没有可行方案（${s.result.status}）`,
      `scenario "${s.name}" has no plan (${s.result.status})`,
      'NAME',
    );
  const codes = plan.schools.filter((a) => a.action === 'expand').map((a) => a.id);
  const schools = new Map(
    (codes.length
      ? await db
          .selectFrom('schools')
          .select(['code', 'name', 'township_code'])
          .where('county_code', '=', s.countyCode)
          .where('code', 'in', codes)
          .execute()
      : []
    ).map((r) => [r.code, r]),
  );
  const classSize = new Map(s.input.schools.map((x) => [x.id, x.expansion?.class_size ?? 0]));
  const rows: ProjectRow[] = [];
  const common = { stage: s.stage, delivery_year: s.targetYear, status: 'planned' };
  const code = () => `GH${s.id}-${String(rows.length + 1).padStart(3, '0')}`;
  for (const a of plan.schools) {
    if (a.action !== 'expand') continue;
    const school = schools.get(a.id);
    rows.push({
      code: code(),
      name: `${school?.name ?? a.id}扩建${a.extra_classes}个班`,
      region_code: school?.township_code ?? s.countyCode,
      school_code: a.id,
      seats: a.extra_classes * classSize.get(a.id)!,
      cost_fen: a.cost_fen,
      ...common,
    });
  }
  for (const a of plan.sites) {
    if (a.action !== 'build') continue;
    rows.push({
      code: code(),
      name: `新建${STAGE_LABELS[s.stage]}（站点 ${a.id}）`,
      region_code: s.countyCode,
      school_code: null,
      seats: a.seats,
      cost_fen: a.cost_fen,
      ...common,
    });
  }
  return rows;
}

/** Writes the project list as XLSX in the `projects` import kind's columns: `io import projects` reads it. */
export async function writeProjectList(rows: ProjectRow[], out: Output): Promise<void> {
  const writer = openTableWriter(out, 'xlsx', {
    name: projectsKind.title.zh,
    columns: projectsKind.columns.map((c) => ({ header: c.header, text: isTextColumn(c) })),
  });
  try {
    for (const r of rows)
      await writer.add(projectsKind.columns.map((c) => formatValue(r[c.key as keyof ProjectRow], c)));
  } finally {
    await writer.close();
  }
}

/** What the planning page draws: demand points, schools and sites with their actions, assignments, reasons. */
export async function presentScenario(db: Db, s: Scenario) {
  const names = new Map(
    (
      await db
        .selectFrom('schools')
        .select(['code', 'name'])
        .where('county_code', '=', s.countyCode)
        .execute()
    ).map((r) => [r.code, r.name]),
  );
  const plan = s.result.plan;
  const schoolAction = new Map(plan?.schools.map((a) => [a.id, a]) ?? []);
  const siteAction = new Map(plan?.sites.map((a) => [a.id, a]) ?? []);
  const schools = s.input.schools.map((x) => {
    const a = schoolAction.get(x.id);
    return {
      id: x.id,
      lng: x.lng,
      lat: x.lat,
      name: names.get(x.id) ?? x.id,
      action: a?.action ?? ('keep' as const),
      extraClasses: a?.extra_classes ?? 0,
      seats: a?.seats ?? x.capacity,
      pupils: a?.pupils ?? 0,
      costFen: a?.cost_fen ?? 0,
      savingFen: a?.saving_fen ?? 0,
      mergedInto: a?.merged_into ?? null,
    };
  });
  const sites = s.input.sites
    .filter((x) => siteAction.get(x.id)?.action === 'build')
    .map((x) => {
      const a = siteAction.get(x.id)!;
      return {
        id: x.id,
        lng: x.lng,
        lat: x.lat,
        name: `新建校址 ${x.id}`,
        action: 'new' as const,
        extraClasses: 0,
        seats: a.seats,
        pupils: a.pupils,
        costFen: a.cost_fen,
        savingFen: 0,
        mergedInto: null,
      };
    });
  return {
    summary: summaryOf(s),
    radiusKm: s.input.service_radius_km,
    demandPoints: s.input.demand_points.map((d) => ({
      id: d.id,
      lng: d.lng,
      lat: d.lat,
      pupils: d.pupils,
      area: d.area,
    })),
    facilities: [...schools, ...sites],
    assignments: (plan?.assignments ?? []).map((a) => ({
      demandPoint: a.demand_point,
      facility: a.facility,
      pupils: a.pupils,
      km: a.km,
    })),
    reasons: s.result.infeasibility?.reasons ?? [],
  };
}
