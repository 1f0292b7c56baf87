/**
 * New housing as a forecast option (新建住宅学位需求): the `housing` table's projects, each placed in
 * the area it lies in, with a pupils-per-unit yield by grade the planner gives — the store has none,
 * and a yield is a local standard (千人指标), not a number to guess. Off unless a yield is given.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError } from '../domain/errors.ts';
import { GRADES } from '../domain/stages.ts';
import type { ForecastOptions } from '../engines/forecast/contract.ts';
import type { Database } from '../store/schema.ts';
import type { AreaSet } from './areas.ts';

type Db = Kysely<Database>;

export const HOUSING_STATUSES = ['planned', 'approved', 'under_construction', 'delivered'] as const;
export type HousingStatus = (typeof HOUSING_STATUSES)[number];

/** A yield given as JSON (a file or a request body). */
export const housingYieldSchema = z.object({
  /** Pupils per new unit by grade once the homes are lived in. */
  yield: z.partialRecord(z.enum(GRADES), z.number().nonnegative()),
  /** Share of the yield in the delivery year, the next, …; the last is held (default: all at once). */
  phasing: z.array(z.number().nonnegative()).min(1).optional(),
  /** Statuses whose units count (default: approved, under construction, delivered — not planned). */
  statuses: z.array(z.enum(HOUSING_STATUSES)).min(1).optional(),
});
export type HousingYield = z.infer<typeof housingYieldSchema>;

export const DEFAULT_HOUSING_STATUSES: readonly HousingStatus[] = [
  'approved',
  'under_construction',
  'delivered',
];

/** Validates a yield; a bad field fails naming the option and the field inside it. */
export function parseHousingYield(json: unknown, field = '--housing-yield'): HousingYield {
  const r = housingYieldSchema.safeParse(json);
  if (r.success && Object.keys(r.data.yield).length > 0) return r.data;
  const issue = r.error?.issues[0];
  const where = issue?.path.length ? `${field} ${issue.path.join('.')}` : field;
  throw new AppError(
    'forecast.housing_yield',
    `住宅学生产生率不正确：${issue ? issue.message : '需要 yield（每套住宅按年级的学生数）'}`,
    `the housing yield is invalid: ${issue ? issue.message : 'it needs yield (pupils per unit by grade)'}`,
    where,
  );
}

/**
 * The engine's housing option for an area set: one entry per counted housing project in an area
 * (its township from its region code or its community, or the catchment of its community's primary
 * school); `unplaced` lists the projects no area holds.
 */
export async function loadHousingOption(
  db: Db,
  set: AreaSet,
  /** The areas the input forecasts (an area without projected grades is not one). */
  areaIds: ReadonlySet<string>,
  y: HousingYield,
): Promise<{ housing: NonNullable<ForecastOptions['housing']>; unplaced: string[] }> {
  const counties = set.region.counties.length ? set.region.counties : [''];
  const statuses = y.statuses ?? DEFAULT_HOUSING_STATUSES;
  const rows = await db
    .selectFrom('housing')
    .leftJoin('communities', 'communities.code', 'housing.community_code')
    .select([
      'housing.code',
      'housing.county_code',
      'housing.region_code',
      'housing.community_code',
      'communities.township_code',
      'housing.delivery_year',
      'housing.units',
    ])
    .where('housing.county_code', 'in', counties)
    .where('housing.status', 'in', [...statuses])
    .orderBy('housing.code')
    .execute();
  const schoolOfCommunity = new Map<string, number>();
  if (set.level === 'catchment') {
    const links = await db
      .selectFrom('catchments')
      .select(['community_code', 'school_id'])
      .where('county_code', 'in', counties)
      .where('stage', '=', 'primary')
      .orderBy('year', 'desc')
      .execute();
    for (const l of links)
      if (!schoolOfCommunity.has(l.community_code))
        schoolOfCommunity.set(l.community_code, Number(l.school_id));
  }
  const housing: NonNullable<ForecastOptions['housing']> = [];
  const unplaced: string[] = [];
  for (const h of rows) {
    const area =
      set.level === 'county'
        ? h.county_code
        : set.level === 'township'
          ? h.region_code.length === 9
            ? h.region_code
            : h.township_code
          : h.community_code
            ? set.areaOfSchool.get(schoolOfCommunity.get(h.community_code) ?? -1)
            : undefined;
    if (area && areaIds.has(area))
      housing.push({
        area,
        deliveryYear: Number(h.delivery_year),
        units: Number(h.units),
        yield: y.yield,
        phasing: y.phasing ?? [1],
      });
    else unplaced.push(h.code);
  }
  return { housing, unplaced };
}
