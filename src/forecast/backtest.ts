/**
 * Backtests over the store: the engine's `backtestForecast` on the input built from the census,
 * and the empirical errors by horizon that give every run its intervals — pooled over rolling
 * origins (base − 1, base − 2, …), so horizon h is judged on every origin at least h years back —
 * and how well such intervals would have held.
 */

import type { Kysely } from 'kysely';
import { AppError } from '../domain/errors.ts';
import { GRADES, type Grade } from '../domain/stages.ts';
import { type BacktestResult, backtestForecast } from '../engines/forecast/backtest.ts';
import type { ForecastInput } from '../engines/forecast/contract.ts';
import { ENTRY_LAGS, forecastEnrollment } from '../engines/forecast/engine.ts';
import type { Database } from '../store/schema.ts';
import { type ForecastInputOptions, loadForecastInput, type StoreForecastInput } from './input.ts';

type Db = Kysely<Database>;

/** The share of outcomes a run's intervals hold unless asked otherwise. */
export const DEFAULT_INTERVAL_LEVEL = 0.8;

/**
 * The part of an input a forecast from `baseYear − holdout` can be checked on: the grades of each
 * area with pupils in every year from the origin's window to the base year (and the grade below,
 * above an entry grade); areas left with none are dropped.
 */
export function backtestableInput(input: ForecastInput, holdout: number): ForecastInput {
  const from = input.baseYear - holdout - input.window;
  const areas: ForecastInput['areas'] = [];
  for (const a of input.areas) {
    const grades: Grade[] = [];
    for (const g of GRADES) {
      let ok = true;
      for (let y = from; y <= input.baseYear && ok; y++) ok = (a.enrollment[y]?.[g] ?? 0) > 0;
      const below = GRADES[GRADES.indexOf(g) - 1];
      if (ok && (g in ENTRY_LAGS || grades.includes(below!))) grades.push(g);
    }
    if (grades.length === 0) continue;
    const enrollment: ForecastInput['areas'][number]['enrollment'] = {};
    for (let y = from; y <= input.baseYear; y++)
      enrollment[y] = Object.fromEntries(grades.map((g) => [g, a.enrollment[y]![g]!]));
    areas.push({ ...a, enrollment });
  }
  return { ...input, areas };
}

/** The longest holdout the input's years allow: the origin needs `window` years before it. */
export function maxHoldout(input: ForecastInput): number {
  const years = input.areas.flatMap((a) => Object.keys(a.enrollment).map(Number));
  return years.length ? input.baseYear - Math.min(...years) - input.window : 0;
}

/** Relative errors by horizon 1…`horizon`, pooled over the origins base − h … base − maxHoldout. */
export function pooledErrors(input: ForecastInput, horizon: number): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (let k = 1; k <= maxHoldout(input); k++) {
    const part = backtestableInput(input, k);
    if (part.areas.length === 0) continue;
    const r = backtestForecast(part, { holdout: k });
    for (const [h, errors] of Object.entries(r.errors))
      if (Number(h) <= horizon) out[h] = [...(out[h] ?? []), ...errors];
  }
  return out;
}

/** The input as it was known at `origin`: the census years up to it. */
function knownAt(input: ForecastInput, origin: number): ForecastInput {
  return {
    ...input,
    baseYear: origin,
    areas: input.areas.map((a) => ({
      ...a,
      enrollment: Object.fromEntries(Object.entries(a.enrollment).filter(([y]) => Number(y) <= origin)),
    })),
  };
}

export interface Coverage {
  horizon: number;
  year: number;
  /** Observed cells with an interval, and the share of them inside it. */
  cells: number;
  share: number | null;
}

/**
 * How well a run's intervals would have held: intervals at `level` made at base − K from the errors
 * known then (pooled backtests before the origin), checked against the census after it.
 */
export function intervalCoverage(input: ForecastInput, holdout: number, level: number): Coverage[] {
  const origin = input.baseYear - holdout;
  const checked = backtestableInput(input, holdout);
  const known = knownAt(
    { ...input, areas: input.areas.filter((a) => checked.areas.some((c) => c.id === a.id)) },
    origin,
  );
  const errors = pooledErrors(known, holdout);
  const out = Array.from({ length: holdout }, (_, i) => ({
    horizon: i + 1,
    year: origin + i + 1,
    cells: 0,
    inside: 0,
  }));
  if (Object.keys(errors).length > 0) {
    const r = forecastEnrollment({ ...known, horizon: holdout, intervals: { level, errors } });
    for (const a of checked.areas)
      for (const c of out)
        for (const [g, observed] of Object.entries(a.enrollment[c.year] ?? {})) {
          const band = r.intervals?.[a.id]?.[c.year]?.[g as Grade];
          if (!band || observed === undefined) continue;
          c.cells++;
          if (observed >= band[0] && observed <= band[1]) c.inside++;
        }
  }
  return out.map(({ inside, ...c }) => ({ ...c, share: c.cells ? inside / c.cells : null }));
}

export interface StoreBacktest {
  built: StoreForecastInput;
  /** Areas the backtest could use (enough years for the holdout). */
  areas: number;
  result: BacktestResult;
  /** Intervals at `level` made at the origin, against what was observed (horizons beyond the errors known then: none). */
  coverage: { level: number; byHorizon: Coverage[] };
}

/** Backtest of the default method on a region's areas: forecast from base − K, compare with the census. */
export async function backtestStore(
  db: Db,
  o: Omit<ForecastInputOptions, 'horizon'> & { holdout: number; level?: number },
): Promise<StoreBacktest> {
  const built = await loadForecastInput(db, { ...o, horizon: 1 });
  const max = maxHoldout(built.input);
  if (!Number.isInteger(o.holdout) || o.holdout < 1 || o.holdout > max)
    throw new AppError(
      'forecast.invalid_holdout',
      `留出年数应为 1–${max}（基础统计年份减去窗口）`,
      `the holdout must be 1 to ${max} (the census years less the window)`,
      '--holdout',
    );
  const input = backtestableInput(built.input, o.holdout);
  const level = o.level ?? DEFAULT_INTERVAL_LEVEL;
  return {
    built,
    areas: input.areas.length,
    result: backtestForecast(input, { holdout: o.holdout }),
    coverage: { level, byHorizon: intervalCoverage(built.input, o.holdout, level) },
  };
}
