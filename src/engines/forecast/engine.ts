/**
 * The forecast engine (学位需求预测): grade-progression ratios, pure, no I/O. Entry grades come
 * from births blended across the age cut-off, every later grade from the grade below a year earlier;
 * ratios are arithmetic means over the last `window` observed years. Options (births projection,
 * housing, migration, policy) are applied on top of the default and never change it when absent.
 */
import { GRADES, type Grade } from '../../domain/stages.ts';
import { type BirthsOf, birthsSeries, blendedBirths } from './births.ts';
import {
  type AreaFit,
  ENTRY_LAGS,
  type EntryGrade,
  type ForecastArea,
  type ForecastFit,
  type ForecastInput,
  type ForecastResult,
  GRADE_BELOW,
  type ParsedForecastInput,
  type Projection,
  parseForecastInput,
  type RatioFit,
  type YearGrades,
} from './contract.ts';
import { BIRTHS_WORDS, forecastError } from './errors.ts';
import { addIntervals } from './intervals.ts';
import { applyHousing, applyMigration, applyPolicy } from './options.ts';

/** The entry grades' lags, also here for callers that import the engine alone. */
export { ENTRY_LAGS };

const isEntry = (g: Grade): g is EntryGrade => g in ENTRY_LAGS;

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Observed pupils of an area's grade in a year; a missing year or grade is refused. */
function observed(area: ForecastArea, index: number, y: number, g: Grade): number {
  const row = area.enrollment[y];
  if (!row)
    throw forecastError(
      'missing_year',
      { area: area.id, year: y, grade: g },
      ['areas', index, 'enrollment', String(y)],
      '缺少在校生数（该年整年缺失）',
      'the enrollment is missing (the whole year)',
    );
  const v = row[g];
  if (v === undefined)
    throw forecastError(
      'missing_grade',
      { area: area.id, year: y, grade: g },
      ['areas', index, 'enrollment', String(y), g],
      '缺少在校生数',
      'the enrollment is missing',
    );
  return v;
}

/** The grades an area projects (its base year's), each later grade with the grade below it. */
function projectedGrades(area: ForecastArea, index: number, baseYear: number): Grade[] {
  const row = area.enrollment[baseYear];
  const grades = row ? GRADES.filter((g) => row[g] !== undefined) : [];
  if (grades.length === 0)
    throw forecastError(
      'missing_year',
      { area: area.id, year: baseYear },
      ['areas', index, 'enrollment', String(baseYear)],
      '基年没有任何年级的在校生数',
      'the base year has no enrollment of any grade',
    );
  for (const g of grades) {
    if (isEntry(g)) continue;
    const below = GRADE_BELOW[g]!;
    if (row![below] === undefined)
      throw forecastError(
        'missing_grade',
        { area: area.id, year: baseYear, grade: below },
        ['areas', index, 'enrollment', String(baseYear), below],
        `缺少在校生数（${g} 由 ${below} 升级推算）`,
        `the enrollment is missing (${g} is projected from ${below})`,
      );
  }
  return grades;
}

function fitArea(
  area: ForecastArea,
  index: number,
  input: ParsedForecastInput,
  births: BirthsOf,
  baseYear: number,
): AreaFit {
  const { window, cutoffMonth } = input;
  const grades = projectedGrades(area, index, baseYear);
  const fit: AreaFit = { grades, entry: {}, progression: {} };
  for (const g of grades) {
    const observations: RatioFit['observations'] = [];
    if (isEntry(g)) {
      const lag = ENTRY_LAGS[g];
      for (let y = baseYear - window + 1; y <= baseYear; y++) {
        const b = blendedBirths(births, y, lag, cutoffMonth);
        if (b === 0)
          throw forecastError(
            'zero_births',
            { area: area.id, year: y - lag, what: BIRTHS_WORDS },
            ['areas', index, 'births', String(y - lag)],
            `为 0，${y} 年 ${g} 的入学比（在校生 ÷ 出生数）无法计算`,
            `are 0, so the entry ratio of ${g} in ${y} (pupils ÷ births) cannot be computed`,
          );
        observations.push({ year: y, ratio: observed(area, index, y, g) / b });
      }
      fit.entry[g] = { ratio: mean(observations.map((o) => o.ratio)), observations };
    } else {
      const below = GRADE_BELOW[g]!;
      for (let y = baseYear - window; y < baseYear; y++) {
        const d = observed(area, index, y, below);
        if (d === 0)
          throw forecastError(
            'zero_enrollment',
            { area: area.id, year: y, grade: below },
            ['areas', index, 'enrollment', String(y), below],
            `在校生数为 0，${below}→${g} 的升级比无法计算`,
            `the enrollment is 0, so the progression ratio ${below}→${g} cannot be computed`,
          );
        observations.push({ year: y + 1, ratio: observed(area, index, y + 1, g) / d });
      }
      fit.progression[g] = { ratio: mean(observations.map((o) => o.ratio)), observations };
    }
  }
  return fit;
}

/** Default projection: entry = ratio × B*(t); grade g in t = R_g × grade below in t − 1. */
function projectArea(
  area: ForecastArea,
  index: number,
  fit: AreaFit,
  input: ParsedForecastInput,
  births: BirthsOf,
  baseYear: number,
): Projection {
  const { horizon, cutoffMonth } = input;
  const out: Projection = {};
  for (const g of fit.grades) {
    const v = new Float64Array(horizon);
    if (isEntry(g)) {
      const ratio = fit.entry[g]!.ratio;
      for (let h = 1; h <= horizon; h++)
        v[h - 1] = ratio * blendedBirths(births, baseYear + h, ENTRY_LAGS[g], cutoffMonth);
    } else {
      // Grades are in GRADES order, so the grade below is already projected.
      const below = GRADE_BELOW[g]!;
      const prev = out[below]!;
      const ratio = fit.progression[g]!.ratio;
      v[0] = ratio * observed(area, index, baseYear, below);
      for (let h = 2; h <= horizon; h++) v[h - 1] = ratio * prev[h - 2];
    }
    out[g] = v;
  }
  return out;
}

/** Every area's fit from `baseYear` (the input's, or an earlier one for a backtest), with its births. */
function fitAreas(input: ParsedForecastInput, baseYear: number): { fits: AreaFit[]; births: BirthsOf[] } {
  const births = input.areas.map((area, i) => birthsSeries(area, i, input.options?.births));
  const fits = input.areas.map((area, i) => fitArea(area, i, input, births[i], baseYear));
  return { fits, births };
}

/** Fit and projection of every area from `baseYear`, the options applied on top of the default. */
export function solveFrom(
  input: ParsedForecastInput,
  baseYear: number,
): { fits: AreaFit[]; projections: Projection[] } {
  const { fits, births } = fitAreas(input, baseYear);
  const projections = input.areas.map((area, i) => projectArea(area, i, fits[i], input, births[i], baseYear));
  const o = input.options;
  if (o?.migration) applyMigration(input, fits, projections, baseYear, o.migration);
  if (o?.housing) applyHousing(input, fits, projections, baseYear, o.housing);
  if (o?.policy) applyPolicy(input, fits, projections, baseYear, o.policy);
  return { fits, projections };
}

/** Year → grade → value, in GRADES order, for the output. */
export function presentProjection(p: Projection, baseYear: number, horizon: number): YearGrades {
  const out: YearGrades = {};
  for (let h = 1; h <= horizon; h++) {
    const row: YearGrades[string] = {};
    for (const g of GRADES) if (p[g]) row[g] = p[g][h - 1];
    out[baseYear + h] = row;
  }
  return out;
}

/**
 * The fitted entry and progression ratios of every area (for explaining a forecast).
 * An area with K1 observed 900, 880, 860 over blended births 1,000, 1,000, 1,000 in the window has
 * `entry.K1 = { ratio: 0.88, observations: [{ year: 2023, ratio: 0.9 }, …] }`.
 */
export function fitForecast(raw: ForecastInput | ParsedForecastInput): ForecastFit {
  const input = parseForecastInput(raw);
  const { fits } = fitAreas(input, input.baseYear);
  return { areas: Object.fromEntries(input.areas.map((a, i) => [a.id, fits[i]])) };
}

/**
 * Projects pupils per area, year and grade (DESIGN.md "forecast solve"). Unrounded.
 * `{ baseYear: 2025, horizon: 2, window: 1, cutoffMonth: 12, areas: [{ id: 'A', births: { 2019: 1000,
 * 2020: 900 }, enrollment: { 2025: { G1: 990 } } }] }` gives
 * `{ areas: { A: { 2026: { G1: 891 }, 2027: { G1: 891 } } } }` (entry ratio 0.99; the births of 2021
 * are held at 2020's).
 */
export function forecastEnrollment(raw: ForecastInput | ParsedForecastInput): ForecastResult {
  return forecastParsedEnrollment(parseForecastInput(raw));
}

/**
 * The same over input already validated by `parseForecastInput` (the CLI, a store loader): a
 * province's million counts are not validated twice. Data errors (missing years, zeros) still throw.
 */
export function forecastParsedEnrollment(input: ParsedForecastInput): ForecastResult {
  const { projections } = solveFrom(input, input.baseYear);
  const result: ForecastResult = {
    areas: Object.fromEntries(
      input.areas.map((a, i) => [a.id, presentProjection(projections[i], input.baseYear, input.horizon)]),
    ),
  };
  if (input.intervals) result.intervals = addIntervals(input, projections, input.baseYear, input.intervals);
  return result;
}
