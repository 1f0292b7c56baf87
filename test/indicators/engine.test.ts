import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GRADES, OWNERSHIPS, SCHOOL_TYPES } from '../../src/domain/stages.ts';
import {
  computeIndicators,
  INDICATORS,
  type IndicatorInput,
  parseIndicatorInput,
} from '../../src/engines/indicators/index.ts';
import { find, paperCensus } from './fixture.ts';

describe('indicator definitions', () => {
  it('holds every indicator of issue 4 with names, formula, unit and source', () => {
    const ids = INDICATORS.map((d) => d.id);
    for (const id of [
      'preschool_ger',
      'inclusive_kg_coverage',
      'public_kg_share',
      'compulsory_retention',
      'compulsory_retention_raw',
      'senior_ger',
      'large_class_share',
      'super_large_class_share',
      'pupil_teacher_ratio',
      'migrant_public_share',
      'disabled_enrollment_rate',
      'after_school_participation',
      'group_coverage_schools',
      'group_coverage_pupils',
    ])
      expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of INDICATORS) {
      expect(d.zh).toMatch(/\p{Script=Han}/u);
      expect(d.en.length).toBeGreaterThan(0);
      expect(d.formula.length).toBeGreaterThan(0);
      expect(['percent', 'ratio', 'count']).toContain(d.unit);
    }
  });
});

describe('the engine on a census checked on paper', () => {
  const r = computeIndicators(paperCensus());
  const check = (id: string, stage: string | null, n: number, d: number, value: number) => {
    const x = find(r, id, stage);
    expect(x.numerator).toBeCloseTo(n, 9);
    expect(x.denominator).toBeCloseTo(d, 9);
    expect(x.value).toBeCloseTo(value, 9);
    expect(x.reason).toBeNull();
  };

  it('pre-school: 200 children ÷ 240 aged 3–5; inclusive 150/200; public 100/200', () => {
    check('preschool_ger', null, 200, 240, 250 / 3);
    check('inclusive_kg_coverage', null, 150, 200, 75);
    check('public_kg_share', null, 100, 200, 50);
  });

  it('retention: 48 graduates ÷ 50 entrants raw; ÷ (50 + 3 − 1) adjusted', () => {
    check('compulsory_retention_raw', null, 48, 50, 96);
    check('compulsory_retention', null, 48, 52, (100 * 48) / 52);
  });

  it('senior secondary: 100 ÷ 120 aged 15–17', () => check('senior_ger', null, 100, 120, 250 / 3));

  it('class sizes per stage: primary 2 large and 1 super-large of 6; senior 0 and 1 of 2; junior has none', () => {
    check('large_class_share', 'primary', 2, 6, 100 / 3);
    check('super_large_class_share', 'primary', 1, 6, 100 / 6);
    check('large_class_share', 'senior', 0, 2, 0);
    check('super_large_class_share', 'senior', 1, 2, 50);
    const j = find(r, 'large_class_share', 'junior');
    expect(j.value).toBeNull();
    expect(j.reason?.en).toMatch(/zero/);
  });

  it('pupil–teacher ratio: the nine-year school’s 15 teachers split 60 : 90 by pupils', () => {
    check('pupil_teacher_ratio', 'kindergarten', 200, 20, 10);
    check('pupil_teacher_ratio', 'primary', 150, 5 + 6 + 2, 150 / 13);
    check('pupil_teacher_ratio', 'junior', 90, 9, 10);
    check('pupil_teacher_ratio', 'senior', 100, 10, 10);
    expect(find(r, 'pupil_teacher_ratio', 'junior').unit).toBe('ratio');
  });

  it('migrants: (10 + 4 public + 15 purchased) ÷ 34', () =>
    check('migrant_public_share', null, 29, 34, (100 * 29) / 34));

  it('disabled children: all four placements count, 12 ÷ 13', () =>
    check('disabled_enrollment_rate', null, 12, 13, (100 * 12) / 13));

  it('after-school: 196 ÷ 240 compulsory pupils', () =>
    check('after_school_participation', null, 196, 240, (100 * 196) / 240));

  it('education groups: 2 of 7 schools, 190 of 540 pupils', () => {
    check('group_coverage_schools', null, 2, 7, (100 * 2) / 7);
    check('group_coverage_pupils', null, 190, 540, (100 * 190) / 540);
  });

  it('gives every result the contract shape', () => {
    for (const x of r) {
      expect(Object.keys(x).sort()).toEqual([
        'denominator',
        'id',
        'numerator',
        'reason',
        'stage',
        'unit',
        'value',
      ]);
    }
  });
});

describe('edge cases', () => {
  const noNaN = (input: IndicatorInput) => {
    for (const x of computeIndicators(input)) {
      if (x.value === null) {
        expect(x.reason?.zh.length).toBeGreaterThan(0);
        expect(x.reason?.en.length).toBeGreaterThan(0);
      } else expect(Number.isFinite(x.value)).toBe(true);
    }
  };

  it('an empty region: every value null with a reason, never 0, NaN or Infinity', () => {
    const input: IndicatorInput = { year: 2023, schools: [], census: [], teachers: [], classes: [] };
    const r = computeIndicators(input);
    for (const x of r) {
      expect(x.value).toBeNull();
      expect(x.reason).not.toBeNull();
    }
    noNaN(input);
  });

  it('a county without kindergartens: GER 0 of a real population, coverage and shares not available', () => {
    const input = paperCensus();
    input.schools = input.schools.filter((s) => s.school_type !== 'kindergarten');
    const r = computeIndicators(input);
    expect(find(r, 'preschool_ger').value).toBe(0);
    expect(find(r, 'preschool_ger').denominator).toBe(240);
    for (const id of ['inclusive_kg_coverage', 'public_kg_share']) {
      expect(find(r, id).value).toBeNull();
      expect(find(r, id).denominator).toBe(0);
      expect(find(r, id).reason?.zh).toBe('分母为零');
    }
    expect(find(r, 'pupil_teacher_ratio', 'kindergarten').value).toBeNull();
    noNaN(input);
  });

  it('a year with missing population: GERs not available, the rest unaffected', () => {
    const input = paperCensus();
    input.population = null;
    const r = computeIndicators(input);
    for (const id of ['preschool_ger', 'senior_ger']) {
      expect(find(r, id).value).toBeNull();
      expect(find(r, id).denominator).toBeNull();
      expect(find(r, id).reason?.en).toMatch(/population/);
    }
    expect(find(r, 'public_kg_share').value).toBe(50);
    // one missing age is missing population too, not a smaller denominator
    const partial = paperCensus();
    partial.population = partial.population!.filter((p) => p.age !== 4);
    expect(find(computeIndicators(partial), 'preschool_ger').value).toBeNull();
    expect(find(computeIndicators(partial), 'senior_ger').value).toBeCloseTo(250 / 3, 9);
  });

  it('no register: disabled enrolment not available; no cohort census: retention not available', () => {
    const input = paperCensus();
    input.disabled_register = undefined;
    input.census = input.census.filter((c) => c.year === 2023);
    const r = computeIndicators(input);
    expect(find(r, 'disabled_enrollment_rate').reason?.en).toMatch(/register/);
    expect(find(r, 'compulsory_retention_raw').value).toBeNull();
    expect(find(r, 'compulsory_retention').value).toBeNull();
  });

  it('caps the transfer-adjusted retention at 100% and leaves the raw ratio past it', () => {
    const input = paperCensus();
    const g9 = input.census.find((c) => c.year === 2023 && c.grade === 'G9')!;
    g9.graduates = 60;
    const r = computeIndicators(input);
    expect(find(r, 'compulsory_retention').value).toBe(100);
    expect(find(r, 'compulsory_retention').numerator).toBe(60);
    expect(find(r, 'compulsory_retention_raw').value).toBe(120);
  });

  it('the contract names the JSON path of a bad field', () => {
    const bad = paperCensus() as unknown as { census: Record<string, unknown>[] };
    bad.census[3].grade = 'G13';
    expect(() => parseIndicatorInput(bad)).toThrow(expect.objectContaining({ field: 'census[3].grade' }));
    expect(() => parseIndicatorInput({ year: 2023 })).toThrow(expect.objectContaining({ field: 'schools' }));
  });
});

describe('aggregation', () => {
  const county = fc.constantFrom('411402', '411423');
  const school = fc.record({
    county_code: county,
    school_type: fc.constantFrom(...SCHOOL_TYPES),
    ownership: fc.constantFrom(...OWNERSHIPS),
    inclusive: fc.boolean(),
    in_group: fc.boolean(),
    teachers: fc.integer({ min: 0, max: 40 }),
    census: fc.array(
      fc.record({
        year: fc.integer({ min: 2014, max: 2023 }),
        grade: fc.constantFrom(...GRADES),
        pupils: fc.nat(80),
        migrant: fc.nat(20),
        migrant_purchased: fc.nat(10),
        after_school: fc.nat(80),
        entrants: fc.nat(80),
        transfers_in: fc.nat(5),
        transfers_out: fc.nat(5),
        graduates: fc.nat(80),
      }),
      { maxLength: 30 },
    ),
    classes: fc.array(
      fc.record({ grade: fc.constantFrom(...GRADES), size: fc.integer({ min: 10, max: 80 }) }),
      {
        maxLength: 6,
      },
    ),
  });
  const pop = fc.array(fc.record({ age: fc.integer({ min: 0, max: 18 }), persons: fc.nat(500) }), {
    maxLength: 40,
  });
  const register = fc.array(
    fc.record({
      placement: fc.constantFrom(
        'regular_class',
        'special_class',
        'special_school',
        'home_teaching',
        'not_enrolled',
      ) as fc.Arbitrary<'regular_class'>,
      children: fc.nat(10),
    }),
    { maxLength: 6 },
  );

  it("a city's value is its counties' summed numerators over summed denominators", () => {
    fc.assert(
      fc.property(
        fc.array(school, { maxLength: 12 }),
        pop,
        pop,
        register,
        register,
        (ss, popA, popB, regA, regB) => {
          const build = (which: string[]): IndicatorInput => {
            const picked = ss.map((s, id) => ({ ...s, id })).filter((s) => which.includes(s.county_code));
            const byCounty = <T extends object>(a: T[], b: T[], tag: boolean) => [
              ...(which.includes('411402') ? a.map((x) => (tag ? { ...x, region_code: '411402' } : x)) : []),
              ...(which.includes('411423') ? b.map((x) => (tag ? { ...x, region_code: '411423' } : x)) : []),
            ];
            return {
              year: 2023,
              schools: picked.map(({ id, county_code, school_type, ownership, inclusive, in_group }) => ({
                id,
                county_code,
                school_type,
                ownership,
                inclusive,
                in_group,
              })),
              census: picked.flatMap((s) => s.census.map((c) => ({ ...c, school_id: s.id }))),
              teachers: picked.map((s) => ({ school_id: s.id, full_time_teachers: s.teachers })),
              classes: picked.flatMap((s) => s.classes.map((c) => ({ ...c, school_id: s.id }))),
              population: byCounty(popA, popB, true),
              population_areas: which,
              disabled_register: byCounty(regA, regB, false),
            };
          };
          const city = computeIndicators(build(['411402', '411423']));
          const a = computeIndicators(build(['411402']));
          const b = computeIndicators(build(['411423']));
          city.forEach((c, i) => {
            expect(a[i].id).toBe(c.id);
            expect(c.numerator).toBeCloseTo(a[i].numerator + b[i].numerator, 6);
            // population missing in one county is missing for the city, not a smaller denominator
            if (c.id.endsWith('_ger') && (a[i].denominator === null || b[i].denominator === null))
              expect(c.denominator).toBeNull();
            if (c.denominator !== null && a[i].denominator !== null && b[i].denominator !== null)
              expect(c.denominator).toBeCloseTo(a[i].denominator! + b[i].denominator!, 6);
            if (c.value !== null) {
              const raw = (c.unit === 'percent' ? 100 : 1) * (c.numerator / c.denominator!);
              expect(c.value).toBeCloseTo(c.id === 'compulsory_retention' ? Math.min(raw, 100) : raw, 6);
              expect(Number.isFinite(c.value)).toBe(true);
            } else expect(c.reason).not.toBeNull();
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
