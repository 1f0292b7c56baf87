/**
 * Targets in the store: the statistics office's edits over the preloaded thresholds. Precedence for a
 * region and year: its edited target for that year > its edited target for every year > the preloaded
 * default for its level (src/engines/indicators/targets.ts).
 */
import type { ExpressionBuilder, Kysely, Selectable, Transaction } from 'kysely';
import { type AuditActor, writeAudit } from '../audit/audit-log.ts';
import { AppError } from '../domain/errors.ts';
import { countyOfCode, type RegionLevel } from '../domain/regions/index.ts';
import type { Stage } from '../domain/stages.ts';
import { nowIso } from '../domain/time.ts';
import { INDICATOR_BY_ID } from '../engines/indicators/definitions.ts';
import {
  defaultCloseMargin,
  type IndicatorTarget,
  preloadedTargets,
  type TargetComparator,
  targetFor,
  validateTarget,
} from '../engines/indicators/targets.ts';
import type { Database, IndicatorTargetsTable } from '../store/schema.ts';

type Db = Kysely<Database>;
type TargetRow = Selectable<IndicatorTargetsTable>;

/** A target as it applies to a region and year, with where it came from and what restoring gives. */
export interface EffectiveTarget extends IndicatorTarget {
  origin: 'preloaded' | 'edited';
  /** Year of the edited row; null for every year (and for preloaded targets). */
  year: number | null;
  note: string | null;
  updated_by: string | null;
  updated_at: string | null;
  /** The preloaded target a restore brings back; null when the indicator has none for this level. */
  preloaded: IndicatorTarget | null;
}

const keyOf = (id: string, stage: Stage | null) => `${id}|${stage ?? ''}`;

function edited(row: TargetRow, preloaded: IndicatorTarget | null): EffectiveTarget {
  return {
    indicator_id: row.indicator_id,
    stage: row.stage === '' ? null : (row.stage as Stage),
    comparator: row.comparator,
    threshold: Number(row.threshold),
    close_margin: Number(row.close_margin),
    source: 'bureau',
    origin: 'edited',
    year: row.year,
    note: row.note,
    updated_by: row.updated_by,
    updated_at: row.updated_at,
    preloaded,
  };
}

/**
 * Effective targets for each region code and year, with origin and the preloaded fallback. Codes
 * that are not regions (a school code) get an empty list. Two queries.
 */
export async function loadEffectiveTargets(
  db: Db,
  regionCodes: readonly string[],
  year: number,
): Promise<Map<string, EffectiveTarget[]>> {
  return (await loadEffectiveTargetsOver(db, regionCodes, [year])).get(year)!;
}

/** `loadEffectiveTargets` for several years at once (a trend): still two queries. */
export async function loadEffectiveTargetsOver(
  db: Db,
  regionCodes: readonly string[],
  years: readonly number[],
): Promise<Map<number, Map<string, EffectiveTarget[]>>> {
  const all = new Map(
    years.map((y) => [y, new Map<string, EffectiveTarget[]>(regionCodes.map((c) => [c, []]))]),
  );
  if (regionCodes.length === 0 || years.length === 0) return all;
  const codes = [...new Set(regionCodes)];
  const regions = await db
    .selectFrom('regions')
    .select(['code', 'level'])
    .where('code', 'in', codes)
    .execute();
  const rows = await db
    .selectFrom('indicator_targets')
    .selectAll()
    .where('region_code', 'in', codes)
    .where((eb) => eb.or([eb('year', 'in', [...new Set(years)]), eb('year', 'is', null)]))
    .execute();
  for (const [year, out] of all)
    for (const region of regions) {
      const defaults = preloadedTargets(region.level as RegionLevel, year);
      const byKey = new Map<string, EffectiveTarget>(
        defaults.map((t) => [
          keyOf(t.indicator_id, t.stage),
          {
            ...t,
            origin: 'preloaded',
            year: null,
            note: null,
            updated_by: null,
            updated_at: null,
            preloaded: t,
          },
        ]),
      );
      // Every-year rows first, so that the year's own row overrides them.
      const mine = rows
        .filter((r) => r.region_code === region.code && (r.year === null || Number(r.year) === year))
        .sort((a, b) => (a.year === null ? 0 : 1) - (b.year === null ? 0 : 1));
      for (const r of mine) {
        const stage = r.stage === '' ? null : (r.stage as Stage);
        byKey.set(
          keyOf(r.indicator_id, stage),
          edited(r, targetFor(defaults, r.indicator_id, stage) ?? null),
        );
      }
      out.set(region.code, [...byKey.values()].sort(byIndicatorOrder));
    }
  return all;
}

const ORDER = new Map([...INDICATOR_BY_ID.keys()].map((id, i) => [id, i]));
const STAGE_ORDER = ['', 'kindergarten', 'primary', 'junior', 'senior'];
const byIndicatorOrder = (a: IndicatorTarget, b: IndicatorTarget) =>
  (ORDER.get(a.indicator_id) ?? 0) - (ORDER.get(b.indicator_id) ?? 0) ||
  STAGE_ORDER.indexOf(a.stage ?? '') - STAGE_ORDER.indexOf(b.stage ?? '');

/** Effective targets for each region code and year (edited ones override the preloaded ones). Two queries. */
export async function loadTargets(
  db: Db,
  regionCodes: readonly string[],
  year: number,
): Promise<Map<string, IndicatorTarget[]>> {
  return loadEffectiveTargets(db, regionCodes, year);
}

/** Which target: region, year (null for every year), indicator and stage. */
export interface TargetKey {
  region_code: string;
  year: number | null;
  indicator_id: string;
  stage: Stage | null;
}

export interface TargetEdit extends TargetKey {
  comparator: TargetComparator;
  threshold: number;
  /** Absent: the preloaded target's margin, else the default for the indicator's unit. */
  close_margin?: number;
  note?: string | null;
}

async function regionOf(db: Db | Transaction<Database>, code: string) {
  const region = await db
    .selectFrom('regions')
    .select(['code', 'level'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (!region)
    throw new AppError(
      'targets.unknown_region',
      `找不到区划 ${code}`,
      `no region with code ${code}`,
      'region_code',
    );
  return { code: region.code, level: region.level as RegionLevel };
}

function checkYear(year: number | null): void {
  if (year !== null && !(Number.isInteger(year) && year >= 1990 && year <= 2100))
    throw new AppError(
      'targets.invalid',
      '年度应为 1990–2100 的四位年份，或留空表示每年',
      'year must be a four-digit year 1990–2100, or empty for every year',
      'year',
    );
}

const countyCodeOf = (code: string, level: RegionLevel) =>
  level === 'county' || level === 'township' ? countyOfCode(code) : null;

/** The row of one key; `year` null matches the every-year row only. */
const sameKey = (k: TargetKey) => (eb: ExpressionBuilder<Database, 'indicator_targets'>) =>
  eb.and([
    eb('region_code', '=', k.region_code),
    eb('indicator_id', '=', k.indicator_id),
    eb('stage', '=', k.stage ?? ''),
    k.year === null ? eb('year', 'is', null) : eb('year', '=', k.year),
  ]);

const findRow = (db: Db | Transaction<Database>, k: TargetKey) =>
  db.selectFrom('indicator_targets').selectAll().where(sameKey(k)).executeTakeFirst();

const auditId = (k: TargetKey) => `${k.region_code}/${k.year ?? '*'}/${k.indicator_id}/${k.stage ?? ''}`;

const audited = (r: TargetRow | undefined) =>
  r
    ? {
        comparator: r.comparator,
        threshold: Number(r.threshold),
        close_margin: Number(r.close_margin),
        note: r.note,
      }
    : null;

/** Sets (inserts or replaces) one edited target, audited, in one transaction. Returns the stored target. */
export async function setTarget(db: Db, actor: AuditActor, e: TargetEdit): Promise<EffectiveTarget> {
  checkYear(e.year);
  validateTarget({ ...e, close_margin: e.close_margin ?? 0 });
  const unit = INDICATOR_BY_ID.get(e.indicator_id)!.unit;
  return db.transaction().execute(async (trx) => {
    const region = await regionOf(trx, e.region_code);
    const preloaded = targetFor(preloadedTargets(region.level, e.year), e.indicator_id, e.stage) ?? null;
    const close_margin = e.close_margin ?? preloaded?.close_margin ?? defaultCloseMargin(unit);
    const before = await findRow(trx, e);
    const values = {
      comparator: e.comparator,
      threshold: e.threshold,
      close_margin,
      note: e.note?.trim() || null,
      updated_by: actor.username,
      updated_at: nowIso(),
    };
    if (before) await trx.updateTable('indicator_targets').set(values).where(sameKey(e)).execute();
    else
      await trx
        .insertInto('indicator_targets')
        .values({
          ...values,
          region_code: e.region_code,
          county_code: countyCodeOf(region.code, region.level),
          year: e.year,
          indicator_id: e.indicator_id,
          stage: e.stage ?? '',
        })
        .execute();
    const after = (await findRow(trx, e))!;
    await writeAudit(trx, actor, {
      action: 'target.set',
      resourceType: 'indicator_target',
      resourceId: auditId(e),
      countyCode: after.county_code,
      before: audited(before),
      after: audited(after),
    });
    return edited(after, preloaded);
  });
}

/** Removes one edited target, so the preloaded one (or none) applies again; audited. */
export async function clearTarget(db: Db, actor: AuditActor, k: TargetKey): Promise<void> {
  checkYear(k.year);
  await db.transaction().execute(async (trx) => {
    await regionOf(trx, k.region_code);
    const before = await findRow(trx, k);
    if (!before)
      throw new AppError(
        'targets.not_found',
        '该区划和年度没有修改过的目标值',
        'no edited target for this region, year, indicator and stage',
        'indicator_id',
      );
    await trx.deleteFrom('indicator_targets').where(sameKey(k)).execute();
    await writeAudit(trx, actor, {
      action: 'target.clear',
      resourceType: 'indicator_target',
      resourceId: auditId(k),
      countyCode: before.county_code,
      before: audited(before),
      after: null,
    });
  });
}
