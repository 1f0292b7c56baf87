import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { GRADES, type Grade } from '../../src/domain/stages.ts';
import {
  type ForecastInput,
  type ForecastResult,
  forecastEnrollment,
} from '../../src/engines/forecast/index.ts';
import { forecastInput, syntheticArea } from './fixture.ts';

type Options = NonNullable<ForecastInput['options']>;

const twoAreas = () => [
  syntheticArea({ id: 'A' }).area,
  syntheticArea({ id: 'B', birthsOf: (y) => 5000 + 40 * (y - 2000) }).area,
];
const solve = (options?: Options, areas = twoAreas()) =>
  forecastEnrollment(forecastInput(areas, { options }));

/** Every cell whose value differs, as `area year grade` → [default, with the option]. */
function changed(a: ForecastResult, b: ForecastResult): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const [area, ys] of Object.entries(a.areas))
    for (const [y, row] of Object.entries(ys))
      for (const g of GRADES) {
        const x = row[g];
        const z = b.areas[area][y][g];
        if (x !== undefined && z !== undefined && Math.abs(x - z) > 1e-9 * Math.max(1, x))
          out.set(`${area} ${y} ${g}`, [x, z]);
      }
  return out;
}

const failure = (options: Options): AppError => {
  try {
    solve(options);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('no error');
};

describe('forecast options', () => {
  it('leave the default byte-identical when absent or empty', () => {
    const text = JSON.stringify(solve());
    expect(JSON.stringify(solve({}))).toBe(text);
    expect(JSON.stringify(solve({ housing: [], migration: [], policy: [] }))).toBe(text);
  });

  describe('births projection', () => {
    // The fixture's births fall on a straight line; given only to 2022, the default holds 2022's.
    const until2022 = () => [syntheticArea({ id: 'A', birthsUntil: 2022 })];
    const full = syntheticArea({ id: 'A' });

    it('by trend continues the line, changing only the years that need births after 2022', () => {
      const held = solve(
        undefined,
        until2022().map((x) => x.area),
      );
      const trend = solve(
        { births: { method: 'trend', years: 5 } },
        until2022().map((x) => x.area),
      );
      for (const y of [2026, 2030, 2035])
        for (const g of GRADES) expect(trend.areas.A[y][g]! / full.truth(y, g)).toBeCloseTo(1, 9);
      const cells = [...changed(held, trend).keys()];
      // K1 of 2026 blends the births of 2023; G1 of 2029 those of 2023 (2029 − 6).
      expect(cells).toContain('A 2026 K1');
      expect(cells).not.toContain('A 2028 G1');
      expect(cells).toContain('A 2029 G1');
      expect(cells).not.toContain('A 2035 G12');
      expect(cells.every((c) => !c.startsWith('A 2026 G'))).toBe(true);
    });

    it('from women aged 15–49 × a fertility rate, given or fitted per area', () => {
      const women: Record<string, number> = {};
      for (let y = 2000; y <= 2040; y++) women[y] = (full.area.births[y] * 1000) / 35;
      for (const rate of [{ 2020: 35 }, undefined]) {
        const r = solve(
          { births: { method: 'fertility', women: { A: women }, ...(rate ? { rate } : {}) } },
          until2022().map((x) => x.area),
        );
        for (const y of [2027, 2032, 2035])
          for (const g of GRADES) expect(r.areas.A[y][g]! / full.truth(y, g)).toBeCloseTo(1, 9);
      }
      const e = failure({ births: { method: 'fertility', women: { A: women } } });
      expect(e.field).toBe('options.births.women.B');
      expect(e.zh).toContain('区域 B');
    });
  });

  describe('housing yield', () => {
    it('adds units × pupils per unit × the phasing share to the yielding grades of the area only', () => {
      const base = solve();
      const r = solve({
        housing: [
          { area: 'A', deliveryYear: 2027, units: 1000, yield: { G1: 0.05, G7: 0.03 }, phasing: [0.5, 1] },
        ],
      });
      const d = changed(base, r);
      const delta = (k: string) => d.get(k)![1] - d.get(k)![0];
      expect(delta('A 2027 G1')).toBeCloseTo(25, 9);
      expect(delta('A 2028 G1')).toBeCloseTo(50, 9);
      expect(delta('A 2035 G1')).toBeCloseTo(50, 9);
      expect(delta('A 2027 G7')).toBeCloseTo(15, 9);
      expect(delta('A 2030 G7')).toBeCloseTo(30, 9);
      expect([...d.keys()].every((k) => /^A 20(2[7-9]|3[0-5]) G[17]$/.test(k))).toBe(true);
      expect(d.size).toBe(2 * 9);
    });

    it('counts only the growth over the base year for homes delivered before it', () => {
      const base = solve();
      const half = solve({
        housing: [{ area: 'A', deliveryYear: 2025, units: 1000, yield: { G1: 0.05 }, phasing: [0.5, 1] }],
      });
      const d = changed(base, half);
      expect(d.size).toBe(10);
      for (const [, [x, z]] of d) expect(z - x).toBeCloseTo(25, 9);
      const done = solve({ housing: [{ area: 'A', deliveryYear: 2020, units: 1000, yield: { G1: 0.05 } }] });
      expect(changed(base, done).size).toBe(0);
    });

    it('names the option entry and its area when a field is bad', () => {
      const e = failure({ housing: [{ area: 'B', deliveryYear: 2026, units: -5, yield: { G1: 0.1 } }] });
      expect(e.field).toBe('options.housing[0].units');
      expect(e.zh).toBe('区域 B：不能为负数');
      const g = failure({
        housing: [{ area: 'B', deliveryYear: 2026, units: 5, yield: { G13: 0.1 } as never }],
      });
      expect(g.field).toBe('options.housing[0].yield.G13');
      expect(g.zh).toContain('未知年级 G13');
    });

    it('leaves out grades the area does not project', () => {
      const primary = [syntheticArea({ id: 'A', grades: ['G1', 'G2', 'G3', 'G4', 'G5', 'G6'] }).area];
      const r = solve(
        { housing: [{ area: 'A', deliveryYear: 2027, units: 500, yield: { G7: 0.1 } }] },
        primary,
      );
      expect(r).toEqual(solve(undefined, primary));
    });
  });

  describe('net migration', () => {
    it('adds a yearly count to the grade and carries it up the grades with the progression ratios', () => {
      const base = solve();
      const r = solve({ migration: [{ area: 'A', grades: ['G3'], from: 2027, to: 2027, count: 100 }] });
      const d = changed(base, r);
      const delta = (k: string) => d.get(k)![1] - d.get(k)![0];
      expect(delta('A 2027 G3')).toBeCloseTo(100, 9);
      expect(delta('A 2028 G4')).toBeCloseTo(98.5, 9);
      expect(delta('A 2030 G6')).toBeCloseTo(100 * 0.985 ** 3, 9);
      expect(delta('A 2035 G11')).toBeCloseTo(100 * 0.985 ** 8, 9);
      // One cohort only: G3 2027, G4 2028, … G11 2035.
      expect(d.size).toBe(9);
    });

    it('as a rate of the default forecast: −10 % of G1 every year is −10 % of that cohort later', () => {
      const base = solve();
      const r = solve({ migration: [{ area: 'B', grades: ['G1'], rate: -0.1 }] });
      for (const y of [2026, 2030, 2035]) expect(r.areas.B[y].G1! / base.areas.B[y].G1!).toBeCloseTo(0.9, 12);
      expect(r.areas.B[2026].G2).toBe(base.areas.B[2026].G2);
      for (const y of [2027, 2031]) expect(r.areas.B[y].G2! / base.areas.B[y].G2!).toBeCloseTo(0.9, 12);
      expect(r.areas.A).toEqual(base.areas.A);
      expect(r.areas.B[2035].K3).toBe(base.areas.B[2035].K3);
    });

    it('never makes a grade negative', () => {
      const r = solve({ migration: [{ area: 'A', grades: ['G3', 'K2'], count: -1e9 }] });
      expect(r.areas.A[2027].G3).toBe(0);
      for (const row of Object.values(r.areas.A))
        for (const v of Object.values(row)) expect(v).toBeGreaterThanOrEqual(0);
    });

    it('refuses an unknown area, a grade the area does not project, and count with rate', () => {
      expect(failure({ migration: [{ area: 'C', grades: ['G1'], count: 1 }] }).field).toBe(
        'options.migration[0].area',
      );
      const primary = [syntheticArea({ id: 'A', grades: ['G1', 'G2'] }).area];
      try {
        solve({ migration: [{ area: 'A', grades: ['G1', 'G7'], count: 1 }] }, primary);
        throw new Error('no error');
      } catch (e) {
        expect((e as AppError).field).toBe('options.migration[0].grades[1]');
        expect((e as AppError).zh).toContain('区域 A G7');
      }
      expect(failure({ migration: [{ area: 'A', grades: ['G1'], count: 1, rate: 0.1 }] }).field).toBe(
        'options.migration[0]',
      );
    });
  });

  describe('policy scenario', () => {
    it('multiplies the given grades in the given years, in every area or the named ones, uncarried', () => {
      const base = solve();
      const all = changed(
        base,
        solve({ policy: [{ grades: ['G1', 'G2'], from: 2028, to: 2030, multiplier: 1.1 }] }),
      );
      expect(all.size).toBe(2 * 2 * 3);
      for (const [k, [x, z]] of all) {
        expect(k).toMatch(/^[AB] 20(28|29|30) G[12]$/);
        expect(z / x).toBeCloseTo(1.1, 12);
      }
      const onlyB = changed(
        base,
        solve({ policy: [{ areas: ['B'], grades: ['K1' as Grade], from: 2026, multiplier: 0.5 }] }),
      );
      expect(onlyB.size).toBe(10);
      expect([...onlyB.keys()].every((k) => k.startsWith('B ') && k.endsWith(' K1'))).toBe(true);
      expect(failure({ policy: [{ areas: ['X'], grades: ['G1'], from: 2026, multiplier: 1 }] }).field).toBe(
        'options.policy[0].areas[0]',
      );
    });
  });
});
