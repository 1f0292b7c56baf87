import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { GRADES, type Grade } from '../../src/domain/stages.ts';
import {
  type ForecastInput,
  fitForecast,
  forecastEnrollment,
  parseForecastInput,
} from '../../src/engines/forecast/index.ts';
import { clone, forecastInput, syntheticArea } from './fixture.ts';

const years = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('forecast engine: the default method', () => {
  it('reproduces the future of a population with constant true ratios, every grade K1–G12', () => {
    const { area, truth } = syntheticArea({
      ratios: {
        K1: 0.81,
        G1: 0.96,
        progression: Object.fromEntries(GRADES.map((g, i) => [g, 0.9 + i / 200])),
      },
    });
    const r = forecastEnrollment(forecastInput([area], { horizon: 15 }));
    expect(Object.keys(r.areas['411402'])).toEqual(years(2026, 2040).map(String));
    for (const y of years(2026, 2040))
      for (const g of GRADES) expect(r.areas['411402'][y][g]! / truth(y, g)).toBeCloseTo(1, 12);
    expect(r.intervals).toBeUndefined();
  });

  it('projects only the grades the base year lists; G10 progresses from G9 like any grade', () => {
    const grades: Grade[] = ['G1', 'G2', 'G3', 'G4', 'G5', 'G6', 'G7', 'G8', 'G9', 'G10'];
    const { area, truth } = syntheticArea({ grades });
    const r = forecastEnrollment(forecastInput([area], { horizon: 2 }));
    expect(Object.keys(r.areas['411402'][2026])).toEqual(grades);
    expect(r.areas['411402'][2027].G10! / truth(2027, 'G10')).toBeCloseTo(1, 12);
    expect(fitForecast(forecastInput([area])).areas['411402'].progression.G10!.ratio).toBeCloseTo(0.985, 12);
  });

  // On paper (cutoffMonth 12, so G1 in t comes from the births of t − 6):
  //   entry G1: 200/1000 = 0.2 (2023), 400/800 = 0.5 (2024), 500/1000 = 0.5 (2025) → mean 0.4
  //   G1→G2:    90/100 = 0.9 (2023), 100/200 = 0.5 (2024), 300/400 = 0.75 (2025) → mean 0.71666…
  //   (a ratio of sums would give 490/700 = 0.7).
  //   2026: G1 = 0.4 × births 2020 (500) = 200, G2 = 0.71666… × 500 = 358.333…
  //   2027: G1 = 0.4 × births 2021, held at 2020's 500 = 200, G2 = 0.71666… × 200 = 143.333…
  const paper = (): ForecastInput => ({
    baseYear: 2025,
    horizon: 2,
    window: 3,
    cutoffMonth: 12,
    areas: [
      {
        id: '411402',
        births: { 2016: 1000, 2017: 1000, 2018: 800, 2019: 1000, 2020: 500 },
        enrollment: {
          2022: { G1: 100 },
          2023: { G1: 200, G2: 90 },
          2024: { G1: 400, G2: 100 },
          2025: { G1: 500, G2: 300 },
        },
      },
    ],
  });

  it('averages the yearly ratios arithmetically over the window (not a ratio of sums)', () => {
    const fit = fitForecast(paper()).areas['411402'];
    expect(fit.entry.G1!.ratio).toBeCloseTo(0.4, 12);
    expect(fit.entry.G1!.observations).toEqual([
      { year: 2023, ratio: 0.2 },
      { year: 2024, ratio: 0.5 },
      { year: 2025, ratio: 0.5 },
    ]);
    expect(fit.progression.G2!.ratio).toBeCloseTo(2.15 / 3, 12);
    expect(fit.progression.G2!.observations.map((o) => o.year)).toEqual([2023, 2024, 2025]);
    const r = forecastEnrollment(paper()).areas['411402'];
    expect(r[2026].G1).toBeCloseTo(200, 9);
    expect(r[2026].G2).toBeCloseTo(358.3333333333, 9);
    expect(r[2027].G1).toBeCloseTo(200, 9);
    expect(r[2027].G2).toBeCloseTo(143.3333333333, 9);
  });

  it('holds the births after the last given year at its value', () => {
    const { area } = syntheticArea({ birthsUntil: 2020 });
    const r = forecastEnrollment(forecastInput([area], { horizon: 8 })).areas['411402'];
    const fit = fitForecast(forecastInput([area])).areas['411402'];
    const last = area.births[2020];
    // K1 in 2024 and later needs the births of 2021 and later: every one of them is 2020's.
    for (const y of years(2026, 2033)) expect(r[y].K1).toBeCloseTo(fit.entry.K1!.ratio * last, 9);
    // G1 of 2027 blends 2021 (held) with 2020; from 2028 both are held.
    expect(r[2027].G1).toBeCloseTo(fit.entry.G1!.ratio * last, 9);
    expect(r[2026].G1).toBeCloseTo((fit.entry.G1!.ratio * (8 * last + 4 * area.births[2019])) / 12, 9);
  });

  // K1 (lag 3) in 2025 with cutoffMonth 8: (8 × births 2022 + 4 × births 2021) / 12
  //   = (8 × 1200 + 4 × 600) / 12 = 1000 → ratio 850 / 1000 = 0.85;
  //   2026: (8 × 1500 + 4 × 1200) / 12 = 1400 → 0.85 × 1400 = 1190.
  // With cutoffMonth 12: 850 / 1200 = 0.708333…; 2026: × 1500 = 1062.5.
  const blend = (cutoffMonth: number, births: Record<string, number>): ForecastInput => ({
    baseYear: 2025,
    horizon: 1,
    window: 1,
    cutoffMonth,
    areas: [{ id: '411402', births, enrollment: { 2025: { K1: 850 } } }],
  });

  it('blends the births of two calendar years across the cut-off month', () => {
    const births = { 2021: 600, 2022: 1200, 2023: 1500 };
    expect(fitForecast(blend(8, births)).areas['411402'].entry.K1!.ratio).toBeCloseTo(0.85, 12);
    expect(forecastEnrollment(blend(8, births)).areas['411402'][2026].K1).toBeCloseTo(1190, 9);
    expect(forecastEnrollment(blend(12, births)).areas['411402'][2026].K1).toBeCloseTo(1062.5, 9);
    // cutoffMonth defaults to 8.
    const { cutoffMonth: _, ...noCutoff } = blend(8, births);
    expect(forecastEnrollment(noCutoff)).toEqual(forecastEnrollment(blend(8, births)));
    // The calendar-year lag needs no births of the year before.
    expect(() => forecastEnrollment(blend(12, { 2022: 1200, 2023: 1500 }))).not.toThrow();
    expect(() => forecastEnrollment(blend(8, { 2022: 1200, 2023: 1500 }))).toThrow(/2021/);
  });
});

describe('forecast engine: bad input names the area, year and grade', () => {
  const valid = () => forecastInput([syntheticArea({ firstYear: 2021 }).area]);
  type Area = ForecastInput['areas'][number];
  const broken = (edit: (a: Area) => void): ForecastInput => {
    const input = clone(valid());
    edit(input.areas[0]);
    return input;
  };
  const failure = (input: unknown): AppError => {
    try {
      forecastEnrollment(input as ForecastInput);
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      return e as AppError;
    }
    throw new Error('no error');
  };

  it.each([
    [
      'a missing observed year',
      (a: Area) => delete a.enrollment[2023],
      'areas[0].enrollment.2023',
      '区域 411402 2023 年 K1：缺少在校生数（该年整年缺失）',
    ],
    [
      'a missing grade',
      (a: Area) => delete a.enrollment[2023].G3,
      'areas[0].enrollment.2023.G3',
      '区域 411402 2023 年 G3：缺少在校生数',
    ],
    [
      'a zero the progression ratio divides by',
      (a: Area) => {
        a.enrollment[2023].G3 = 0;
      },
      'areas[0].enrollment.2023.G3',
      '区域 411402 2023 年 G3：在校生数为 0',
    ],
    [
      'zero births behind an entry grade',
      (a: Area) => {
        a.births[2019] = 0;
        a.births[2018] = 0;
      },
      'areas[0].births.2019',
      '区域 411402 2019 年出生数：为 0，2025 年 G1',
    ],
    [
      'a negative count',
      (a: Area) => {
        a.enrollment[2024].G5 = -3;
      },
      'areas[0].enrollment.2024.G5',
      '区域 411402 2024 年 G5：不能为负数',
    ],
    [
      'a non-numeric count',
      (a: Area) => {
        (a.enrollment[2024] as Record<string, unknown>).G5 = '1,200';
      },
      'areas[0].enrollment.2024.G5',
      '区域 411402 2024 年 G5：应为数字',
    ],
    [
      'a count that is not a number (NaN)',
      (a: Area) => {
        a.enrollment[2024].G5 = Number.NaN;
      },
      'areas[0].enrollment.2024.G5',
      '区域 411402 2024 年 G5：应为数字',
    ],
    [
      'an unknown grade',
      (a: Area) => {
        (a.enrollment[2024] as Record<string, number>).G13 = 5;
      },
      'areas[0].enrollment.2024.G13',
      '区域 411402 2024 年 G13：未知年级 G13',
    ],
    [
      'a gap in the births',
      (a: Area) => delete a.births[2017],
      'areas[0].births.2017',
      '区域 411402 2017 年出生数：缺少出生数',
    ],
    [
      'a non-numeric birth count',
      (a: Area) => {
        (a.births as Record<string, unknown>)[2017] = null;
      },
      'areas[0].births.2017',
      '区域 411402 2017 年出生数：应为数字',
    ],
    [
      'a grade without the grade below it',
      (a: Area) => {
        for (const y of Object.keys(a.enrollment)) delete a.enrollment[y].G4;
      },
      'areas[0].enrollment.2025.G4',
      '区域 411402 2025 年 G4：缺少在校生数（G5 由 G4 升级推算）',
    ],
  ])('%s', (_, edit, field, zh) => {
    const e = failure(broken(edit));
    expect(e.field).toBe(field);
    expect(e.zh).toContain(zh);
    expect(e.en).toContain('area 411402');
    expect(e.toLine().split('\n')).toHaveLength(1);
  });

  it('names an area without an id by its position, and a repeated area id', () => {
    const input = clone(valid()) as unknown as { areas: Record<string, unknown>[] };
    delete input.areas[0].id;
    expect(failure(input).zh).toContain('区域 #1');
    const twice = forecastInput([syntheticArea().area, syntheticArea().area]);
    expect(failure(twice).field).toBe('areas[1].id');
  });

  it('refuses settings out of range with their path', () => {
    expect(failure({ ...valid(), window: 0 }).field).toBe('window');
    expect(failure({ ...valid(), cutoffMonth: 13 }).field).toBe('cutoffMonth');
    expect(failure({ ...valid(), horizon: 2.5 }).field).toBe('horizon');
    const { baseYear: _, ...noBase } = valid();
    expect(failure(noBase).zh).toContain('缺少此项');
  });

  it('gives the same result for input already parsed', () => {
    expect(forecastEnrollment(parseForecastInput(valid()))).toEqual(forecastEnrollment(valid()));
  });
});

describe('forecast engine: properties', () => {
  const count = fc.double({ min: 1, max: 50_000, noNaN: true });
  const randomArea = fc.record({
    births: fc.array(count, { minLength: 31, maxLength: 31 }),
    enrollment: fc.array(fc.array(count, { minLength: 15, maxLength: 15 }), { minLength: 4, maxLength: 4 }),
  });
  const toArea = (r: { births: number[]; enrollment: number[][] }, id = 'A') => ({
    id,
    births: Object.fromEntries(r.births.map((b, i) => [1995 + i, b])),
    enrollment: Object.fromEntries(
      r.enrollment.map((row, i) => [2022 + i, Object.fromEntries(GRADES.map((g, j) => [g, row[j]]))]),
    ),
  });

  it('never gives NaN, an infinite or a negative value for valid input', () => {
    fc.assert(
      fc.property(randomArea, fc.integer({ min: 1, max: 12 }), (r, cutoffMonth) => {
        const out = forecastEnrollment(forecastInput([toArea(r)], { cutoffMonth, horizon: 15 }));
        for (const row of Object.values(out.areas.A))
          for (const v of Object.values(row)) expect(Number.isFinite(v) && v >= 0).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('stays finite and non-negative under any options', () => {
    const grade = fc.constantFrom(...GRADES);
    const year = fc.integer({ min: 2020, max: 2036 });
    fc.assert(
      fc.property(
        randomArea,
        fc.array(
          fc.record({
            grades: fc.array(grade, { minLength: 1 }),
            from: year,
            count: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
          }),
          { maxLength: 3 },
        ),
        fc.array(
          fc.record({
            deliveryYear: year,
            units: fc.double({ min: 0, max: 1e5, noNaN: true }),
            phasing: fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 1, maxLength: 4 }),
          }),
          { maxLength: 3 },
        ),
        fc.array(
          fc.record({
            grades: fc.array(grade, { minLength: 1 }),
            from: year,
            multiplier: fc.double({ min: 0, max: 5, noNaN: true }),
          }),
          { maxLength: 3 },
        ),
        fc.constantFrom<'trend' | undefined>('trend', undefined),
        (r, migration, housing, policy, births) => {
          const out = forecastEnrollment(
            forecastInput([toArea(r)], {
              horizon: 15,
              options: {
                migration: migration.map((m) => ({ ...m, area: 'A' })),
                housing: housing.map((h) => ({ ...h, area: 'A', yield: { G1: 0.05, G7: 0.03, K2: 0.02 } })),
                policy,
                ...(births ? { births: { method: births } } : {}),
              },
            }),
          );
          for (const row of Object.values(out.areas.A))
            for (const v of Object.values(row)) expect(Number.isFinite(v) && v >= 0).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('scales the entry grades linearly with the future births they come from', () => {
    fc.assert(
      fc.property(randomArea, fc.double({ min: 0.05, max: 20, noNaN: true }), (r, k) => {
        const area = toArea(r);
        const scaled = clone(area);
        // Births after 2022 are read by projections only (K1 of 2025 is fitted on 2022 and 2021).
        for (const y of Object.keys(scaled.births)) if (Number(y) > 2022) scaled.births[y] *= k;
        const a = forecastEnrollment(forecastInput([area])).areas.A;
        const b = forecastEnrollment(forecastInput([scaled])).areas.A;
        for (const y of years(2027, 2035)) expect(b[y].K1! / a[y].K1!).toBeCloseTo(k, 9);
        for (const y of years(2030, 2035)) expect(b[y].G1! / a[y].G1!).toBeCloseTo(k, 9);
        expect(b[2026].G2).toBe(a[2026].G2);
      }),
      { numRuns: 40 },
    );
  });

  it('calibrates the entry ratios, so a constant factor on all births changes nothing', () => {
    fc.assert(
      fc.property(randomArea, fc.double({ min: 0.1, max: 10, noNaN: true }), (r, k) => {
        const area = toArea(r);
        const scaled = clone(area);
        for (const y of Object.keys(scaled.births)) scaled.births[y] *= k;
        const a = forecastEnrollment(forecastInput([area])).areas.A;
        const b = forecastEnrollment(forecastInput([scaled])).areas.A;
        for (const y of years(2026, 2035)) expect(b[y].G1! / a[y].G1!).toBeCloseTo(1, 9);
      }),
      { numRuns: 30 },
    );
  });

  it('forecasts each area from its own data alone', () => {
    fc.assert(
      fc.property(randomArea, randomArea, (r1, r2) => {
        const alone = forecastEnrollment(forecastInput([toArea(r1, 'A')])).areas.A;
        const both = forecastEnrollment(forecastInput([toArea(r2, 'B'), toArea(r1, 'A')])).areas.A;
        expect(both).toEqual(alone);
      }),
      { numRuns: 20 },
    );
  });
});
