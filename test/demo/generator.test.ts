import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateDemoCity } from '../../src/demo/generate.ts';
import { planCity, planIndicators } from '../../src/demo/plan.ts';
import { apportion, Rng } from '../../src/demo/prng.ts';
import { TARGETS_2023 } from '../../src/demo/profile.ts';

describe('demo PRNG and apportionment', () => {
  it('gives the same stream for the same seed and label, another for another', () => {
    const a = Rng.for(1, 'x');
    const b = Rng.for(1, 'x');
    const c = Rng.for(2, 'x');
    const xs = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(xs);
  });

  it('apportions a total exactly, within caps, roughly in proportion', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 5000 }),
        (w, total) => {
          const caps = w.map((x) => Math.ceil(x * 50));
          const capSum = caps.reduce((a, b) => a + b, 0);
          const parts = apportion(total, w, caps);
          const s = parts.reduce((a, b) => a + b, 0);
          expect(s).toBe(w.some((x) => x > 0) ? Math.min(total, capSum) : 0);
          parts.forEach((p, i) => {
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(caps[i]);
            if (w[i] === 0) expect(p).toBe(0);
          });
        },
      ),
    );
  });

  it('masks exactly k of n', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer(),
        (n, k, seed) => {
          const m = new Rng(seed).mask(n, Math.min(k, n));
          expect(m.reduce((a, b) => a + b, 0)).toBe(Math.min(k, n));
        },
      ),
    );
  });
});

describe('demo plan', () => {
  it('calibrates the 2023 indicators at every scale', () => {
    for (const scale of ['small', 'county', 'city'] as const) {
      const i = planIndicators(planCity(scale, 1));
      for (const k of Object.keys(TARGETS_2023) as (keyof typeof TARGETS_2023)[]) {
        expect(Math.abs(i[k] - TARGETS_2023[k]), `${scale} ${k}`).toBeLessThan(0.002);
      }
    }
  });

  it('lets births fall from the 2016 peak (~120k city-wide) to about half by 2023', () => {
    const p = planCity('city', 1);
    const total = (y: number) => p.counties.reduce((s, c) => s + c.births.get(y)!, 0);
    expect(total(2016)).toBeGreaterThan(110_000);
    expect(total(2016)).toBeLessThan(140_000);
    expect(total(2023) / total(2016)).toBeGreaterThan(0.4);
    expect(total(2023) / total(2016)).toBeLessThan(0.55);
  });

  it('has cohorts entering grade 1 below the births behind them (net out-migration), differing by county', () => {
    const p = planCity('city', 1);
    const ratios = p.counties.map((c) => {
      const b = (8 * c.births.get(2017)! + 4 * c.births.get(2016)!) / 12;
      return c.streams.P.totals[2023 - 2013][0] / b;
    });
    const rural = ratios.slice(2);
    for (const r of rural) expect(r).toBeLessThan(1);
    expect(Math.max(...ratios) - Math.min(...ratios)).toBeGreaterThan(0.05);
  });

  it('generates the same rows for the same seed', () => {
    const take = (seed: number) => {
      const out: string[] = [];
      for (const e of generateDemoCity('small', seed)) {
        if (e.kind === 'rows' && e.table !== 'students') out.push(JSON.stringify(e.rows));
        if (out.length > 12) break;
      }
      return out.join('\n');
    };
    expect(take(5)).toBe(take(5));
    expect(take(5)).not.toBe(take(6));
  });
});
