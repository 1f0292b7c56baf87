/**
 * Backtest of the default method (pure): forecast from baseYear − K with what was known then and
 * compare with what was observed in baseYear − K + 1 … baseYear. Errors are relative,
 * e = (forecast − observed) ÷ observed per area, grade and year; MAPE = mean |e| and bias = mean e,
 * both in percent, by horizon, by area size class and by stage. `errors` is the distribution the
 * forecast's `intervals` input takes.
 */
import { AppError } from '../../domain/errors.ts';
import { type Grade, STAGES, type Stage, stageOfGrade } from '../../domain/stages.ts';
import { type ForecastInput, type ParsedForecastInput, parseForecastInput } from './contract.ts';
import { solveFrom } from './engine.ts';

/** Area sizes (pupils of the projected grades in the origin year) at which a new class starts. */
export const DEFAULT_SIZE_CLASSES = [1_000, 10_000, 100_000];

export interface BacktestOptions {
  /** K: years held out. */
  holdout: number;
  /** Ascending lower bounds of the size classes after the first (default 1,000, 10,000, 100,000). */
  sizeClasses?: number[];
}

/** MAPE and bias in percent over `cells` compared values. */
export interface ErrorStats {
  cells: number;
  mape: number | null;
  bias: number | null;
}
export type HorizonStats = ErrorStats & { horizon: number; year: number };

export interface BacktestResult {
  /** The base year the forecasts start from: baseYear − K. */
  origin: number;
  holdout: number;
  byHorizon: HorizonStats[];
  bySize: { min: number; max: number | null; areas: number; byHorizon: HorizonStats[] }[];
  byStage: { stage: Stage; byHorizon: HorizonStats[] }[];
  /** The whole input summed (all areas and grades): comparable to national projections' accuracy. */
  total: { horizon: number; year: number; forecast: number; observed: number; error: number | null }[];
  /** Relative errors by horizon, for `intervals.errors` of a forecast. */
  errors: Record<string, number[]>;
  /** Cells not compared: the grade not observed that year, or observed 0 (no relative error). */
  skipped: number;
}

class Accumulator {
  private n: number[];
  private abs: number[];
  private sum: number[];
  constructor(
    private readonly origin: number,
    holdout: number,
  ) {
    this.n = new Array(holdout).fill(0);
    this.abs = new Array(holdout).fill(0);
    this.sum = new Array(holdout).fill(0);
  }
  add(h: number, e: number): void {
    this.n[h - 1]++;
    this.abs[h - 1] += Math.abs(e);
    this.sum[h - 1] += e;
  }
  stats(): HorizonStats[] {
    return this.n.map((n, i) => ({
      horizon: i + 1,
      year: this.origin + i + 1,
      cells: n,
      mape: n ? (100 * this.abs[i]) / n : null,
      bias: n ? (100 * this.sum[i]) / n : null,
    }));
  }
}

/**
 * Backtests the default method over observed data (years ≤ baseYear); options and intervals of the
 * input are not used. With `holdout: 2` and baseYear 2025 the forecast starts from 2023 and is
 * compared with 2024 (horizon 1) and 2025 (horizon 2).
 */
export function backtestForecast(
  raw: ForecastInput | ParsedForecastInput,
  options: BacktestOptions,
): BacktestResult {
  const input = parseForecastInput(raw);
  const K = options.holdout;
  if (!Number.isInteger(K) || K < 1)
    throw new AppError(
      'forecast.invalid_holdout',
      '留出年数应为正整数',
      'the holdout must be a positive integer',
      'holdout',
    );
  const bounds = options.sizeClasses ?? DEFAULT_SIZE_CLASSES;
  const origin = input.baseYear - K;
  const { fits, projections } = solveFrom(
    { ...input, horizon: K, options: undefined, intervals: undefined },
    origin,
  );

  const all = new Accumulator(origin, K);
  const bySize = [0, ...bounds].map((min, i) => ({
    min,
    max: bounds[i] ?? null,
    areas: 0,
    acc: new Accumulator(origin, K),
  }));
  const byStage = new Map(STAGES.map((s) => [s, new Accumulator(origin, K)]));
  const totals = Array.from({ length: K }, () => ({ forecast: 0, observed: 0 }));
  const errors: Record<string, number[]> = {};
  let skipped = 0;

  input.areas.forEach((area, i) => {
    const grades = fits[i].grades;
    const size = grades.reduce((s, g) => s + area.enrollment[origin]![g]!, 0);
    const cls = bySize.findLast((c) => size >= c.min)!;
    cls.areas++;
    for (let h = 1; h <= K; h++) {
      const row = area.enrollment[origin + h];
      for (const g of grades as Grade[]) {
        const f = projections[i][g]![h - 1];
        const o = row?.[g];
        if (o === undefined || o === 0) {
          skipped++;
          continue;
        }
        totals[h - 1].forecast += f;
        totals[h - 1].observed += o;
        const e = (f - o) / o;
        all.add(h, e);
        cls.acc.add(h, e);
        byStage.get(stageOfGrade(g))!.add(h, e);
        // A zero forecast of a non-zero count (e = −1) says nothing about the spread of a ratio.
        if (e > -1) {
          errors[h] ??= [];
          errors[h].push(e);
        }
      }
    }
  });

  return {
    origin,
    holdout: K,
    byHorizon: all.stats(),
    bySize: bySize.map(({ acc, ...c }) => ({ ...c, byHorizon: acc.stats() })),
    byStage: [...byStage]
      .map(([stage, acc]) => ({ stage, byHorizon: acc.stats() }))
      .filter((s) => s.byHorizon.some((x) => x.cells > 0)),
    total: totals.map((t, i) => ({
      horizon: i + 1,
      year: origin + i + 1,
      ...t,
      error: t.observed > 0 ? (100 * (t.forecast - t.observed)) / t.observed : null,
    })),
    errors,
    skipped,
  };
}
