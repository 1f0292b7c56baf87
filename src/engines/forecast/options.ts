/**
 * The forecast options that act on the default projection: net migration, housing yield and a policy
 * scenario. Each is a small function over the projections, run only when its option is given, in
 * this order: migration, housing, policy. None can make a value negative.
 */
import type { Grade } from '../../domain/stages.ts';
import {
  type AreaFit,
  ENTRY_LAGS,
  type ForecastOptions,
  GRADE_BELOW,
  type ParsedForecastInput,
  type Projection,
} from './contract.ts';
import { forecastError } from './errors.ts';

type Migration = NonNullable<ForecastOptions['migration']>;
type Housing = NonNullable<ForecastOptions['housing']>;
type Policy = NonNullable<ForecastOptions['policy']>;

/** Looks up an option's area by id; an id not in the input is refused at `path`. */
function areaIndexer(input: ParsedForecastInput): (id: string, path: PropertyKey[]) => number {
  const index = new Map(input.areas.map((a, i) => [a.id, i]));
  return (id, path) => {
    const i = index.get(id);
    if (i === undefined)
      throw forecastError(
        'unknown_area',
        { area: id },
        path,
        '输入中没有该区域',
        'is not an area of the input',
      );
    return i;
  };
}

function requireGrade(fit: AreaFit, area: string, g: Grade, path: PropertyKey[]): void {
  if (!fit.grades.includes(g))
    throw forecastError(
      'unknown_grade',
      { area, grade: g },
      path,
      '该区域不预测这个年级（基年没有它的在校生数）',
      'the area does not project this grade (the base year has no enrollment of it)',
    );
}

const clampAtZero = (v: Float64Array) => {
  for (let h = 0; h < v.length; h++) if (v[h] < 0) v[h] = 0;
};

/** Index range h − 1 of projected years within [from, to]. */
function yearRange(baseYear: number, horizon: number, from?: number, to?: number): [number, number] {
  const first = Math.max(from ?? baseYear + 1, baseYear + 1) - baseYear - 1;
  const last = Math.min(to ?? baseYear + horizon, baseYear + horizon) - baseYear - 1;
  return [first, last];
}

/**
 * 净迁移: net arrivals each year (a count, or a rate × the default value of the grade that year) are
 * added to the grade, and carried up the grades in the following years with the area's own
 * progression ratios, as pupils already there are. Values are floored at 0.
 */
export function applyMigration(
  input: ParsedForecastInput,
  fits: AreaFit[],
  projections: Projection[],
  baseYear: number,
  migration: Migration,
): void {
  const areaIndex = areaIndexer(input);
  const deltas = new Map<number, Partial<Record<Grade, Float64Array>>>();
  migration.forEach((m, j) => {
    const i = areaIndex(m.area, ['options', 'migration', j, 'area']);
    const d = deltas.get(i) ?? {};
    deltas.set(i, d);
    const zero = () => new Float64Array(input.horizon);
    const [first, last] = yearRange(baseYear, input.horizon, m.from, m.to);
    m.grades.forEach((g, k) => {
      requireGrade(fits[i], m.area, g, ['options', 'migration', j, 'grades', k]);
      const v = d[g] ?? zero();
      d[g] = v;
      const base = projections[i][g]!;
      for (let h = first; h <= last; h++) v[h] += m.count ?? m.rate! * base[h];
    });
  });
  for (const [i, d] of deltas) {
    const fit = fits[i];
    const carried: Partial<Record<Grade, Float64Array>> = {};
    for (const g of fit.grades) {
      const v = new Float64Array(input.horizon);
      if (d[g]) v.set(d[g]);
      // Entry grades come from births, so arrivals below them are not carried into them.
      const below = g in ENTRY_LAGS ? undefined : carried[GRADE_BELOW[g]!];
      if (below) {
        const r = fit.progression[g]!.ratio;
        for (let h = 1; h < input.horizon; h++) v[h] += r * below[h - 1];
      }
      carried[g] = v;
      const p = projections[i][g]!;
      for (let h = 0; h < input.horizon; h++) p[h] += v[h];
      clampAtZero(p);
    }
  }
}

/**
 * 新建住宅学位需求: units × pupils per unit × phasing share. The yield is a stock (pupils living in
 * the new homes), so it is added to each year and not carried up the grades; only the growth over
 * the base year counts, because the base year's pupils already include homes delivered earlier.
 * Grades the area does not project are left out (yield tables are usually city-wide standards).
 */
export function applyHousing(
  input: ParsedForecastInput,
  fits: AreaFit[],
  projections: Projection[],
  baseYear: number,
  housing: Housing,
): void {
  const areaIndex = areaIndexer(input);
  housing.forEach((x, j) => {
    const i = areaIndex(x.area, ['options', 'housing', j, 'area']);
    const share = (t: number) =>
      t < x.deliveryYear ? 0 : x.phasing[Math.min(t - x.deliveryYear, x.phasing.length - 1)];
    for (const g of fits[i].grades) {
      const perUnit = x.yield[g];
      if (!perUnit) continue;
      const p = projections[i][g]!;
      for (let h = 1; h <= input.horizon; h++)
        p[h - 1] += x.units * perUnit * (share(baseYear + h) - share(baseYear));
      clampAtZero(p);
    }
  });
}

/**
 * 政策情景: the given grades multiplied from `from` (to `to`) on — e.g. more migrant children admitted
 * where their share of a grade changes. Not carried up the grades: list every grade it touches.
 */
export function applyPolicy(
  input: ParsedForecastInput,
  fits: AreaFit[],
  projections: Projection[],
  baseYear: number,
  policy: Policy,
): void {
  const areaIndex = areaIndexer(input);
  policy.forEach((s, j) => {
    const named = s.areas?.map((id, k) => areaIndex(id, ['options', 'policy', j, 'areas', k]));
    const [first, last] = yearRange(baseYear, input.horizon, s.from, s.to);
    for (const i of named ?? input.areas.keys()) {
      s.grades.forEach((g, k) => {
        if (named) requireGrade(fits[i], input.areas[i].id, g, ['options', 'policy', j, 'grades', k]);
        const p = projections[i][g];
        if (p) for (let h = first; h <= last; h++) p[h] *= s.multiplier;
      });
    }
  });
}
