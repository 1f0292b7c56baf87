import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import {
  backtestForecast,
  type ForecastInput,
  forecastEnrollment,
} from '../../src/engines/forecast/index.ts';
import { forecastInput, syntheticArea } from './fixture.ts';

// On paper (cutoffMonth 12, window 1, G1 only, births constant): from 2023 the forecast is the
// 2023 entry ratio × births in 2024 and 2025.
//   S (900 pupils in 2023, class < 1,000): ratio 0.9 → 900; observed 990 and 810:
//     e1 = (900 − 990) / 990 = −1/11, e2 = (900 − 810) / 810 = 1/9
//   L (18,000, class 10,000–100,000): ratio 0.9 → 18,000; observed 18,000 and 20,000: e1 = 0, e2 = −0.1
//   horizon 1: MAPE (1/11 + 0) / 2 = 4.5454…%, bias −4.5454…%
//   horizon 2: MAPE (1/9 + 0.1) / 2 = 10.5555…%, bias (1/9 − 0.1) / 2 = 0.5555…%
//   totals: 18,900 against 18,990 (−0.4739…%) and 20,810 (−9.1783…%)
const paper = (): ForecastInput => {
  const births = (n: number) => Object.fromEntries(Array.from({ length: 20 }, (_, i) => [2010 + i, n]));
  return {
    baseYear: 2025,
    horizon: 1,
    window: 1,
    cutoffMonth: 12,
    areas: [
      {
        id: 'S',
        births: births(1000),
        enrollment: { 2023: { G1: 900 }, 2024: { G1: 990 }, 2025: { G1: 810 } },
      },
      {
        id: 'L',
        births: births(20_000),
        enrollment: { 2023: { G1: 18_000 }, 2024: { G1: 18_000 }, 2025: { G1: 20_000 } },
      },
    ],
  };
};

describe('forecast backtest', () => {
  it('reports MAPE and bias by horizon, area size and stage, and the total, on a paper fixture', () => {
    const r = backtestForecast(paper(), { holdout: 2 });
    expect(r.origin).toBe(2023);
    expect(r.byHorizon.map((h) => [h.horizon, h.year, h.cells])).toEqual([
      [1, 2024, 2],
      [2, 2025, 2],
    ]);
    expect(r.byHorizon[0].mape).toBeCloseTo(100 / 22, 9);
    expect(r.byHorizon[0].bias).toBeCloseTo(-100 / 22, 9);
    expect(r.byHorizon[1].mape).toBeCloseTo(50 * (1 / 9 + 0.1), 9);
    expect(r.byHorizon[1].bias).toBeCloseTo(50 * (1 / 9 - 0.1), 9);
    expect(r.bySize.map((c) => [c.min, c.max, c.areas])).toEqual([
      [0, 1000, 1],
      [1000, 10_000, 0],
      [10_000, 100_000, 1],
      [100_000, null, 0],
    ]);
    expect(r.bySize[0].byHorizon[1].mape).toBeCloseTo(100 / 9, 9);
    expect(r.bySize[1].byHorizon[0]).toMatchObject({ cells: 0, mape: null, bias: null });
    expect(r.bySize[2].byHorizon[1].bias).toBeCloseTo(-10, 9);
    expect(r.byStage.map((s) => s.stage)).toEqual(['primary']);
    expect(r.total[0]).toMatchObject({ forecast: 18_900, observed: 18_990 });
    expect(r.total[0].error).toBeCloseTo((-90 / 18_990) * 100, 9);
    expect(r.total[1].error).toBeCloseTo((-1910 / 20_810) * 100, 9);
    expect(r.errors[1]).toHaveLength(2);
    expect(r.errors[1][0]).toBeCloseTo(-1 / 11, 12);
    expect(r.errors[2][1]).toBeCloseTo(-0.1, 12);
    expect(r.skipped).toBe(0);
  });

  it('skips observed zeros, and takes size classes as given', () => {
    const input = paper();
    input.areas[0].enrollment[2024].G1 = 0;
    const r = backtestForecast(input, { holdout: 2, sizeClasses: [500] });
    expect(r.skipped).toBe(1);
    expect(r.byHorizon[0].cells).toBe(1);
    expect(r.bySize.map((c) => [c.min, c.max, c.areas])).toEqual([
      [0, 500, 0],
      [500, null, 2],
    ]);
  });

  it('finds no error where the true ratios are constant', () => {
    const areas = [
      syntheticArea({ id: 'A', firstYear: 2015 }).area,
      syntheticArea({ id: 'B', firstYear: 2015 }).area,
    ];
    const r = backtestForecast(forecastInput(areas), { holdout: 5 });
    expect(r.byHorizon).toHaveLength(5);
    for (const h of r.byHorizon) {
      expect(h.cells).toBe(2 * 15);
      expect(h.mape!).toBeLessThan(1e-10);
    }
  });

  it('refuses a holdout that is not a positive integer, or one that reaches before the data', () => {
    expect(() => backtestForecast(paper(), { holdout: 0 })).toThrow(AppError);
    try {
      backtestForecast(paper(), { holdout: 3 });
      throw new Error('no error');
    } catch (e) {
      expect((e as AppError).field).toBe('areas[0].enrollment.2022');
    }
  });
});

describe('forecast intervals', () => {
  // level 0.5: quantiles 0.25 and 0.75 of [−0.1, 0, 0.1, 0.2, 0.3] are 0 and 0.2, so a forecast f
  // has the observed value between f / 1.2 and f / 1.0.
  const withIntervals = (): ForecastInput => ({
    ...paper(),
    horizon: 2,
    intervals: { level: 0.5, errors: { 1: [0.3, -0.1, 0.2, 0, 0.1] } },
  });

  it('bounds each forecast by the error quantiles of its horizon, beside the unchanged areas', () => {
    const r = forecastEnrollment(withIntervals());
    const { intervals: _, ...plain } = withIntervals();
    expect(r.areas).toEqual(forecastEnrollment(plain).areas);
    const f = r.areas.S[2026].G1!;
    expect(r.intervals!.S[2026].G1![0]).toBeCloseTo(f / 1.2, 9);
    expect(r.intervals!.S[2026].G1![1]).toBeCloseTo(f, 9);
    // No errors for horizon 2: no bounds rather than a guess.
    expect(Object.keys(r.intervals!.S)).toEqual(['2026']);
  });

  it('take a backtest’s errors as they come, bias included', () => {
    const bt = backtestForecast(paper(), { holdout: 2 });
    const r = forecastEnrollment({ ...paper(), horizon: 2, intervals: { errors: bt.errors } });
    // Horizon 1 errors [−1/11, 0]: quantiles 0.1 and 0.9 are −0.9/11 and −0.1/11. The forecast ran
    // low, so the whole interval lies above it.
    const f = r.areas.S[2026].G1!;
    expect(f).toBeCloseTo(810, 9);
    expect(r.intervals!.S[2026].G1![0]).toBeCloseTo(f / (1 - 0.1 / 11), 9);
    expect(r.intervals!.S[2026].G1![1]).toBeCloseTo(f / (1 - 0.9 / 11), 9);
    expect(r.intervals!.L[2027].G1![0]).toBeLessThan(r.intervals!.L[2027].G1![1]);
  });

  it('refuse a level outside (0, 1) and an error of −100 % or less', () => {
    const field = (intervals: unknown) => {
      try {
        forecastEnrollment({ ...paper(), intervals } as ForecastInput);
      } catch (e) {
        return (e as AppError).field;
      }
    };
    expect(field({ level: 1, errors: { 1: [0] } })).toBe('intervals.level');
    expect(field({ errors: { 1: [-1] } })).toBe('intervals.errors.1[0]');
    expect(field({ errors: { 0: [0.1] } })).toBe('intervals.errors.0');
  });
});
