/**
 * Forecast runs (预测方案): the engine input built from the store, the engine's result, and the
 * input's fingerprint — SHA-256 of its RFC 8785 canonical JSON — so that one named run serves the
 * balance, the web pages and planning, and anyone can tell whether the data under it changed.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Kysely } from 'kysely';
import { type AuditActor, writeAudit } from '../audit/audit-log.ts';
import { AppError } from '../domain/errors.ts';
import type { ForecastInput, ForecastResult } from '../engines/forecast/contract.ts';
import { forecastEnrollment } from '../engines/forecast/engine.ts';
import type { Database } from '../store/schema.ts';
import type { AreaLevel } from './areas.ts';
import { DEFAULT_INTERVAL_LEVEL, pooledErrors } from './backtest.ts';
import { type HousingYield, loadHousingOption } from './housing.ts';
import {
  type ExcludedGrade,
  type ForecastInputOptions,
  loadForecastInput,
  type StoreForecastInput,
} from './input.ts';

type Db = Kysely<Database>;

/** What a run was made with, kept beside it. */
export interface RunParameters {
  region: string;
  areas: AreaLevel;
  baseYear: number;
  horizon: number;
  window: number;
  cutoffMonth: number;
  /** Area id → name, as the store named them when the run was made. */
  areaNames: Record<string, string>;
  excluded: ExcludedGrade[];
  /** The share of outcomes the intervals hold; null without intervals. */
  intervalLevel: number | null;
  /** The housing option, when a yield was given: the yield and the projects counted or not placed. */
  housing?: (HousingYield & { projects: number; unplaced: string[] }) | null;
}

export interface ForecastRun {
  id: number | null;
  name: string | null;
  regionCode: string;
  countyCode: string | null;
  areaLevel: AreaLevel;
  parameters: RunParameters;
  fingerprint: string;
  input: ForecastInput;
  result: ForecastResult;
  synthetic: number;
  createdBy: string | null;
  createdAt: string | null;
}

/** Lowercase hex SHA-256 of the input's canonical JSON (RFC 8785: keys sorted, numbers normalised). */
export function fingerprintOf(input: ForecastInput): string {
  return createHash('sha256').update(canonicalize(input)!, 'utf8').digest('hex');
}

/**
 * Builds the input from the store and solves it: an unsaved run. Unless `intervals` is null, the
 * input asks for intervals at that level from the errors of backtests on the same data (pooled by
 * horizon; horizons longer than the census allows get none), so the stored input alone reproduces
 * the result through `forecast solve`.
 */
export async function makeRun(
  db: Db,
  o: ForecastInputOptions & { intervals?: number | null; housing?: HousingYield },
): Promise<ForecastRun> {
  const built: StoreForecastInput = await loadForecastInput(db, o);
  const { set } = built;
  const level = o.intervals === undefined ? DEFAULT_INTERVAL_LEVEL : o.intervals;
  // Backtests judge the default method: the errors come from the input without options.
  const errors = level === null ? {} : pooledErrors(built.input, built.input.horizon);
  let input: ForecastInput =
    Object.keys(errors).length > 0 ? { ...built.input, intervals: { level: level!, errors } } : built.input;
  let housing: RunParameters['housing'] = null;
  if (o.housing) {
    const h = await loadHousingOption(db, set, new Set(input.areas.map((a) => a.id)), o.housing);
    housing = { ...o.housing, projects: h.housing.length, unplaced: h.unplaced };
    if (h.housing.length > 0) input = { ...input, options: { housing: h.housing } };
  }
  return {
    id: null,
    name: null,
    regionCode: set.region.code,
    countyCode: set.region.countyCode,
    areaLevel: set.level,
    parameters: {
      region: set.region.code,
      areas: set.level,
      baseYear: input.baseYear,
      horizon: input.horizon,
      window: input.window,
      cutoffMonth: input.cutoffMonth ?? 8,
      areaNames: Object.fromEntries(set.areas.map((a) => [a.id, a.name])),
      excluded: built.excluded,
      intervalLevel: input.intervals?.level ?? null,
      housing,
    },
    fingerprint: fingerprintOf(input),
    input,
    result: forecastEnrollment(input),
    synthetic: built.synthetic,
    createdBy: null,
    createdAt: null,
  };
}

/** Saves a run under a name unique in its region; audited. A taken name fails naming `field`. */
export async function saveRun(
  db: Db,
  run: ForecastRun,
  name: string,
  actor: AuditActor,
  field = '--save',
): Promise<ForecastRun> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 100)
    throw new AppError(
      'forecast.run_name',
      '方案名称应为 1–100 个字符',
      'a run name has 1 to 100 characters',
      field,
    );
  return db.transaction().execute(async (tx) => {
    const taken = await tx
      .selectFrom('forecast_runs')
      .select('id')
      .where('region_code', '=', run.regionCode)
      .where('name', '=', trimmed)
      .executeTakeFirst();
    if (taken)
      throw new AppError(
        'forecast.run_exists',
        `区划 ${run.regionCode} 已有名为“${trimmed}”的预测方案`,
        `region ${run.regionCode} already has a forecast run named "${trimmed}"`,
        field,
      );
    const createdAt = new Date().toISOString();
    const createdBy = actor.username ?? 'system';
    const row = await tx
      .insertInto('forecast_runs')
      .values({
        name: trimmed,
        region_code: run.regionCode,
        county_code: run.countyCode,
        area_level: run.areaLevel,
        parameters: JSON.stringify(run.parameters),
        fingerprint: run.fingerprint,
        input: JSON.stringify(run.input),
        result: JSON.stringify(run.result),
        synthetic: run.synthetic,
        created_by: createdBy,
        created_at: createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(tx, actor, {
      action: 'forecast.run',
      resourceType: 'forecast_runs',
      resourceId: Number(row.id),
      countyCode: run.countyCode,
      context: {
        name: trimmed,
        region: run.regionCode,
        areas: run.areaLevel,
        horizon: run.parameters.horizon,
        fingerprint: run.fingerprint,
      },
    });
    return { ...run, id: Number(row.id), name: trimmed, createdBy, createdAt };
  });
}

/** A saved run without its input and result: what a list shows. */
export interface RunSummary {
  id: number;
  name: string;
  regionCode: string;
  regionName: string;
  countyCode: string | null;
  areaLevel: AreaLevel;
  baseYear: number;
  horizon: number;
  window: number;
  fingerprint: string;
  createdBy: string;
  createdAt: string;
}

const SUMMARY_COLUMNS = [
  'forecast_runs.id',
  'forecast_runs.name',
  'forecast_runs.region_code',
  'regions.name as region_name',
  'forecast_runs.county_code',
  'forecast_runs.area_level',
  'forecast_runs.parameters',
  'forecast_runs.fingerprint',
  'forecast_runs.created_by',
  'forecast_runs.created_at',
] as const;

function presentSummary(r: {
  id: number;
  name: string;
  region_code: string;
  region_name: string;
  county_code: string | null;
  area_level: string;
  parameters: string;
  fingerprint: string;
  created_by: string;
  created_at: string;
}): RunSummary {
  const p = JSON.parse(r.parameters) as RunParameters;
  return {
    id: Number(r.id),
    name: r.name,
    regionCode: r.region_code,
    regionName: r.region_name,
    countyCode: r.county_code,
    areaLevel: r.area_level as AreaLevel,
    baseYear: p.baseYear,
    horizon: p.horizon,
    window: p.window,
    fingerprint: r.fingerprint,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

/** Saved runs, newest first; `countyPrefix` keeps those whose region code starts with it (a user's scope). */
export async function listRuns(
  db: Db,
  filter: { region?: string; countyPrefix?: string; county?: string } = {},
): Promise<RunSummary[]> {
  const rows = await db
    .selectFrom('forecast_runs')
    .innerJoin('regions', 'regions.code', 'forecast_runs.region_code')
    .select(SUMMARY_COLUMNS)
    .$if(filter.region !== undefined, (q) => q.where('forecast_runs.region_code', '=', filter.region!))
    .$if(filter.countyPrefix !== undefined, (q) =>
      q.where('forecast_runs.region_code', 'like', `${filter.countyPrefix}%`),
    )
    .$if(filter.county !== undefined, (q) => q.where('forecast_runs.county_code', '=', filter.county!))
    .orderBy('forecast_runs.created_at', 'desc')
    .orderBy('forecast_runs.id', 'desc')
    .execute();
  return rows.map(presentSummary);
}

/** A saved run by id, or by name (and region when the name is used in several); undefined if none. */
export async function findRun(
  db: Db,
  key: { id: number } | { name: string; region?: string },
): Promise<ForecastRun | undefined> {
  const rows = await db
    .selectFrom('forecast_runs')
    .selectAll()
    .$if('id' in key, (q) => q.where('id', '=', (key as { id: number }).id))
    .$if('name' in key, (q) => q.where('name', '=', (key as { name: string }).name))
    .$if('region' in key && (key as { region?: string }).region !== undefined, (q) =>
      q.where('region_code', '=', (key as { region: string }).region),
    )
    .execute();
  if (rows.length > 1)
    throw new AppError(
      'forecast.run_ambiguous',
      `有多个区划的预测方案名为“${(key as { name: string }).name}”：请用 --region 指定区划`,
      `several regions have a run named "${(key as { name: string }).name}": give --region`,
      '--region',
    );
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: Number(r.id),
    name: r.name,
    regionCode: r.region_code,
    countyCode: r.county_code,
    areaLevel: r.area_level as AreaLevel,
    parameters: JSON.parse(r.parameters) as RunParameters,
    fingerprint: r.fingerprint,
    input: JSON.parse(r.input) as ForecastInput,
    result: JSON.parse(r.result) as ForecastResult,
    synthetic: Number(r.synthetic),
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

/** The run or a clear not-found error naming `field`. */
export async function requireRun(
  db: Db,
  key: { id: number } | { name: string; region?: string },
  field = '--run',
): Promise<ForecastRun> {
  const run = await findRun(db, key);
  if (!run)
    throw new AppError(
      'forecast.run_not_found',
      `找不到预测方案 ${'id' in key ? key.id : key.name}`,
      `no forecast run ${'id' in key ? key.id : key.name}`,
      field,
    );
  return run;
}

/** Deletes a saved run; audited. */
export async function deleteRun(db: Db, run: ForecastRun, actor: AuditActor): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('forecast_runs').where('id', '=', run.id!).execute();
    await writeAudit(tx, actor, {
      action: 'forecast.delete',
      resourceType: 'forecast_runs',
      resourceId: run.id,
      countyCode: run.countyCode,
      before: { name: run.name, region: run.regionCode, fingerprint: run.fingerprint },
    });
  });
}
