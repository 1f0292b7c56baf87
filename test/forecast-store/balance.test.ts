import { describe, expect, it } from 'vitest';
import {
  type BalanceRow,
  classShares,
  computeBalance,
  DEFAULT_BALANCE_OPTIONS,
  flagStage,
} from '../../src/forecast/balance.ts';
import {
  type CapacityRow,
  computeSupply,
  DEFAULT_SUPPLY_OPTIONS,
  type ProjectRow,
  STANDARD_CLASS_SIZE,
  stageSeats,
} from '../../src/forecast/supply.ts';

const PRIMARY = ['G1', 'G2', 'G3', 'G4', 'G5', 'G6'] as const;

/** Area A: one primary school, 4 classes of 45 per grade (180 seats a grade, 1,080 in all). */
const SET = {
  level: 'township' as const,
  areas: [
    { id: 'A', name: '甲镇', countyCode: '411402', schoolIds: [1] },
    { id: 'B', name: '乙镇', countyCode: '411402', schoolIds: [2] },
  ],
  areaOfSchool: new Map([
    [1, 'A'],
    [2, 'B'],
  ]),
};
const capacity = (schoolId: number, classes: number, size = 45): CapacityRow[] =>
  PRIMARY.map((grade) => ({ schoolId, grade, plannedClasses: classes, standardClassSize: size }));
const project = (over: Partial<ProjectRow>): ProjectRow => ({
  id: 1,
  code: 'P1',
  name: '甲镇小学扩建',
  schoolId: 1,
  regionCode: '411402001',
  countyCode: '411402',
  stage: 'primary',
  seats: 270,
  deliveryYear: 2028,
  status: 'under_construction',
  ...over,
});
const grades = (n: number) => Object.fromEntries(PRIMARY.map((g) => [g, n]));

describe('class shares: pupils spread evenly over the planned classes', () => {
  it('counts the classes over a limit by hand', () => {
    // 190 pupils in 4 classes: 2 of 48 and 2 of 47; all over 45, none over 55.
    expect(classShares(190, 4, 45, 55)).toEqual({ classes: 4, over: 4, large: 0 });
    // 182 in 4: 2 of 46 and 2 of 45 — only the two of 46 are over 45.
    expect(classShares(182, 4, 45, 55)).toEqual({ classes: 4, over: 2, large: 0 });
    // 224 in 4: 56 each — every class large.
    expect(classShares(224, 4, 45, 55)).toEqual({ classes: 4, over: 4, large: 4 });
    // 221 in 4: 55, 55, 55, 56 — one large.
    expect(classShares(221, 4, 45, 55)).toEqual({ classes: 4, over: 4, large: 1 });
    expect(classShares(100, 0, 45, 55)).toEqual({ classes: 0, over: 0, large: 0 });
  });
});

describe('supply', () => {
  it('is planned classes × the stored class size, or the standard size when asked', () => {
    const s = computeSupply(SET, [...capacity(1, 4), ...capacity(2, 2, 12)], []);
    expect(stageSeats(s.areas.get('A')!, 'primary', 2026, s.options).seats).toBe(6 * 4 * 45);
    expect(stageSeats(s.areas.get('B')!, 'primary', 2026, s.options).seats).toBe(6 * 2 * 12);
    const std = { ...DEFAULT_SUPPLY_OPTIONS, classSize: 'standard' as const };
    const t = computeSupply(SET, capacity(2, 2, 12), [], std);
    expect(stageSeats(t.areas.get('B')!, 'primary', 2026, std).seats).toBe(6 * 2 * 45);
    expect(STANDARD_CLASS_SIZE).toMatchObject({ K1: 25, K2: 30, K3: 35, G1: 45, G7: 50, G10: 50 });
  });

  it('counts a project from its delivery year, if its status counts', () => {
    const projects = [
      project({}),
      project({ id: 2, code: 'P2', status: 'planned', seats: 900 }),
      project({ id: 3, code: 'P3', status: 'completed', seats: 900 }),
    ];
    const s = computeSupply(SET, capacity(1, 4), projects);
    const a = s.areas.get('A')!;
    expect(stageSeats(a, 'primary', 2027, s.options)).toMatchObject({ seats: 1080, projectSeats: 0 });
    // 270 seats over six grades: one class of 45 more in each.
    expect(stageSeats(a, 'primary', 2028, s.options)).toMatchObject({
      seats: 1350,
      projectSeats: 270,
      classes: grades(5),
    });
    expect(a.projects.map((p) => [p.code, p.counts])).toEqual([
      ['P1', true],
      ['P2', false],
      ['P3', false],
    ]);
    const all = { ...DEFAULT_SUPPLY_OPTIONS, countStatuses: ['planned', 'under_construction'] as const };
    const t = computeSupply(SET, capacity(1, 4), projects, all);
    expect(stageSeats(t.areas.get('A')!, 'primary', 2030, all).seats).toBe(1080 + 270 + 900);
  });

  it('places a project without a school by its township, and reports one it cannot place', () => {
    const s = computeSupply(
      SET,
      [],
      [
        project({ schoolId: null, regionCode: 'B' }),
        project({ id: 2, code: 'P2', schoolId: null, regionCode: '411402' }),
      ],
    );
    expect(s.areas.get('B')!.projects.map((p) => p.code)).toEqual(['P1']);
    expect(s.unplaced.map((p) => p.code)).toEqual(['P2']);
  });
});

describe('balance', () => {
  // A: 200 pupils a grade in 2025 (1,200 ≥ 1,080 seats), growing 10 a grade a year until 2028, then
  // the P1 extension (270 seats) arrives. B: 60 a grade in 2 classes of 45 (540 seats, 180 empty).
  const demand = {
    A: Object.fromEntries([2025, 2026, 2027, 2028, 2029].map((y) => [y, grades(200 + 10 * (y - 2025))])),
    B: Object.fromEntries([2025, 2026, 2027, 2028, 2029].map((y) => [y, grades(60)])),
  };
  const supply = computeSupply(SET, [...capacity(1, 4), ...capacity(2, 2)], [project({})]);
  const result = computeBalance({
    baseYear: 2025,
    horizon: 4,
    demand,
    supply: supply.areas,
    supplyOptions: supply.options,
  });
  const row = (area: string, year: number) => result.rows.find((r) => r.area === area && r.year === year)!;

  it('gives pupils, seats, gap and class sizes per area, stage and year (checked by hand)', () => {
    expect(row('A', 2025)).toMatchObject({
      observed: true,
      pupils: 1200,
      seats: 1080,
      gap: -120,
      classes: 24,
      averageClassSize: 50,
      overStandardShare: 1,
      largeClassShare: 0,
    });
    // 2028: 230 a grade, 1,380 pupils; 1,350 seats in 30 classes of 46 — every class over 45.
    expect(row('A', 2028)).toMatchObject({
      observed: false,
      pupils: 1380,
      seats: 1350,
      projectSeats: 270,
      gap: -30,
      classes: 30,
      averageClassSize: 46,
      overStandardShare: 1,
    });
    // 2027: 220 a grade in 4 classes = 55 each: not yet large; 2029 (after the extension) 240 in 5 = 48.
    expect(row('A', 2027).largeClassShare).toBe(0);
    expect(row('A', 2029).averageClassSize).toBe(48);
    expect(row('B', 2026)).toMatchObject({ pupils: 360, seats: 540, gap: 180, averageClassSize: 30 });
  });

  it('flags the shortfall ahead, the sustained surplus and the peak, most severe first', () => {
    const [a, b] = result.flags;
    expect(a).toMatchObject({
      area: 'A',
      stage: 'primary',
      shortfall: { firstYear: 2026, seats: 180, worstYear: 2027, worstSeats: 240 },
      largeClass: null,
      surplus: null,
      peak: { year: 2029, pupils: 1440 },
    });
    // Worst shortfall 240 of 1,080 seats: 22.2 %.
    expect(a!.severity).toBeCloseTo((100 * 240) / 1080, 6);
    expect(a!.level).toBe('high');
    // B: a third of its seats empty in every projected year: surplus, severity half of 33.3 %.
    expect(b).toMatchObject({
      area: 'B',
      surplus: { from: 2026, to: 2029, emptySeats: 180 },
      shortfall: null,
    });
    expect(b!.surplus!.emptyShare).toBeCloseTo(1 / 3, 9);
    expect(b!.severity).toBeCloseTo(50 / 3, 6);
    expect(b!.level).toBe('medium');
  });

  it('flags large classes above the limit, and a surplus only over enough consecutive years', () => {
    const base: BalanceRow = {
      area: 'X',
      stage: 'junior',
      year: 2025,
      observed: true,
      pupils: 100,
      seats: 100,
      projectSeats: 0,
      gap: 0,
      classes: 2,
      averageClassSize: 50,
      overStandardShare: 0,
      largeClassShare: 0,
    };
    const rows = [
      base,
      { ...base, year: 2026, observed: false, largeClassShare: 0.04 },
      { ...base, year: 2027, observed: false, largeClassShare: 0.1, gap: 30 },
      { ...base, year: 2028, observed: false, largeClassShare: 0.2, gap: 30 },
      { ...base, year: 2029, observed: false, gap: 10 },
      { ...base, year: 2030, observed: false, gap: 20 },
    ];
    const f = flagStage(rows, DEFAULT_BALANCE_OPTIONS);
    expect(f.largeClass).toEqual({ firstYear: 2027, share: 0.1, worstShare: 0.2 });
    // Two surplus years in a row (2027–2028) are fewer than three.
    expect(f.surplus).toBeNull();
    expect(f.severity).toBeCloseTo(20, 9);
    const longer = flagStage(rows, { ...DEFAULT_BALANCE_OPTIONS, surplusYears: 2 });
    expect(longer.surplus).toMatchObject({ from: 2027, to: 2028, emptySeats: 30 });
  });
});
