import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeriveInput } from '../../src/engines/census/contract.ts';
import { deriveCensus } from '../../src/engines/census/derive.ts';
import { paperCensus, paperRegisters } from './fixture.ts';

const fieldsOf = (d: ReturnType<typeof deriveCensus>) => d.not_derivable.map((n) => n.field);

function expectError(input: unknown, field: string, message: RegExp) {
  try {
    deriveCensus(input as DeriveInput);
  } catch (e) {
    expect((e as { field?: string }).field).toBe(field);
    expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error('no error');
}

describe('census derived from the registers (paper fixture)', () => {
  const d = deriveCensus(paperRegisters());

  it('gives every census count, flows included, as worked out by hand', () => {
    expect(d.not_derivable).toEqual([]);
    expect(d.census).toEqual(paperCensus());
    expect(d.pupil_records).toBe(14);
  });

  it('gives the class list and the full-time teachers by subject (part-time teachers left out)', () => {
    expect(d.classes?.map((c) => [c.school_id, c.grade, c.class_no, c.size])).toEqual([
      [1, 'G1', 1, 3],
      [1, 'G2', 1, 2],
      [1, 'G3', 1, 1],
      [1, 'G4', 1, 1],
      [2, 'G2', 1, 2],
      [3, 'G7', 1, 2],
      [3, 'G8', 1, 1],
      [4, 'G3', 1, 2],
    ]);
    expect(d.census_teachers).toEqual([
      { school_id: 1, county_code: '411402', year: 2025, subject: 'chinese', full_time_teachers: 2 },
      { school_id: 1, county_code: '411402', year: 2025, subject: 'math', full_time_teachers: 1 },
      { school_id: 3, county_code: '411402', year: 2025, subject: 'math', full_time_teachers: 3 },
    ]);
  });

  it('without the previous year’s register, reports the flows not derivable and leaves them null', () => {
    const r = deriveCensus({ ...paperRegisters(), previous_pupils: null });
    expect(fieldsOf(r)).toEqual(['entrants', 'transfers_in', 'transfers_out', 'graduates']);
    expect(r.not_derivable[0].reason.en).toContain('register of 2024');
    for (const row of r.census) {
      expect(row.entrants).toBeNull();
      expect(row.graduates).toBeNull();
      expect(row.pupils_male).not.toBeNull();
    }
    // Rows that only carried flows are gone; the pupils' rows are the same.
    expect(r.census.map((x) => `${x.school_id}:${x.grade}`)).toEqual([
      '1:G1',
      '1:G2',
      '1:G3',
      '1:G4',
      '2:G2',
      '3:G7',
      '3:G8',
      '4:G3',
    ]);
  });

  it('names what a register without a field cannot give: purchased places, placements, classes, teachers', () => {
    const input = paperRegisters();
    input.pupils = input.pupils.map(({ purchased_place: _, ...p }) => p);
    input.pupils[5] = { ...input.pupils[5], disabled_placement: null };
    input.pupils[1] = { ...input.pupils[1], class_no: null };
    const r = deriveCensus({ ...input, teachers: undefined });
    expect(fieldsOf(r)).toEqual([
      'migrant_purchased',
      'disabled_regular_class',
      'disabled_special_class',
      'disabled_special_school',
      'disabled_home_teaching',
      'classes',
      'census_teachers',
    ]);
    expect(r.census.every((x) => x.migrant_purchased === null && x.disabled_home_teaching === null)).toBe(
      true,
    );
    expect(r.census[0].migrant).toBe(1);
    expect(r.classes).toBeNull();
    expect(r.census_teachers).toBeNull();
    expect(r.not_derivable.find((n) => n.field === 'classes')?.reason.en).toBe(
      '1 pupils have no class number',
    );
    const noFullTime = deriveCensus({
      ...paperRegisters(),
      teachers: [{ school_id: 1, subject: 'pe', full_time: 0 }],
    });
    expect(noFullTime.census_teachers).toBeNull();
    expect(noFullTime.not_derivable.at(-1)?.reason.en).toMatch(/no full-time teachers/);
  });

  it('gives the same census from groups of identical records as from the records (property)', () => {
    const base = paperRegisters();
    const attrs = fc.record({
      school: fc.constantFrom(1, 2),
      grade: fc.constantFrom('G1', 'G2', 'G5'),
      class_no: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
      sex: fc.constantFrom('M', 'F'),
      migrant: fc.boolean(),
      left_behind: fc.boolean(),
      boarder: fc.boolean(),
      after_school: fc.boolean(),
      count: fc.integer({ min: 1, max: 4 }),
    });
    fc.assert(
      fc.property(fc.array(attrs, { maxLength: 30 }), (groups) => {
        const grouped = groups.map((g) => ({
          school_id: g.school,
          grade: g.grade as 'G1',
          class_no: g.class_no,
          sex: g.sex as 'M',
          migrant: g.migrant,
          purchased_place: g.school === 2 && g.migrant,
          left_behind: g.left_behind,
          boarder: g.boarder,
          after_school: g.after_school,
          count: g.count,
        }));
        const records = grouped.flatMap((g) => Array.from({ length: g.count }, () => ({ ...g, count: 1 })));
        const a = deriveCensus({ year: 2025, schools: base.schools, pupils: grouped, teachers: null });
        const b = deriveCensus({ year: 2025, schools: base.schools, pupils: records, teachers: null });
        expect(a).toEqual(b);
        expect(a.pupil_records).toBe(records.length);
        const sum = a.census.reduce((n, r) => n + r.pupils_male! + r.pupils_female!, 0);
        expect(sum).toBe(records.length);
      }),
      { numRuns: 60 },
    );
  });
});

describe('census derivation errors name the row', () => {
  it('an unknown grade', () => {
    const input = paperRegisters() as unknown as { pupils: Record<string, unknown>[] };
    input.pupils[3].grade = 'G13';
    expectError(input, 'pupils[3].grade', /does not match the contract/);
  });

  it('a school not in the registry', () => {
    const input = paperRegisters();
    input.pupils[2] = { ...input.pupils[2], school_id: 99 };
    expectError(input, 'pupils[2].school_id', /school 99 is not in the registry/);
    const prev = paperRegisters();
    prev.previous_pupils![4] = { ...prev.previous_pupils![4], school_id: 77 };
    expectError(prev, 'previous_pupils[4].school_id', /school 77/);
    const t = paperRegisters();
    t.teachers![1] = { ...t.teachers![1], school_id: 55 };
    expectError(t, 'teachers[1].school_id', /school 55/);
  });

  it('a grade the school does not teach', () => {
    const input = paperRegisters();
    input.pupils[0] = { ...input.pupils[0], grade: 'G7' };
    expectError(input, 'pupils[0].grade', /school P1 \(primary\) does not teach grade G7/);
  });

  it('a duplicate student number, or groups where the flows need single records', () => {
    const dup = paperRegisters();
    dup.pupils[4] = { ...dup.pupils[4], student_no: 'a' };
    expectError(dup, 'pupils[4].student_no', /appears twice/);
    const grouped = paperRegisters();
    grouped.pupils[1] = { ...grouped.pupils[1], count: 2 };
    expectError(grouped, 'pupils[1].student_no', /single record/);
  });

  it('placements and purchased places that do not fit the school', () => {
    const a = paperRegisters();
    a.pupils[5] = { ...a.pupils[5], disabled_placement: 'special_school' };
    expectError(a, 'pupils[5].disabled_placement', /special-education school/);
    const b = paperRegisters();
    b.pupils[0] = { ...b.pupils[0], disabled_placement: 'special_class' };
    expectError(b, 'pupils[0].disabled_placement', /not marked disabled/);
    const c = paperRegisters();
    c.pupils[1] = { ...c.pupils[1], purchased_place: true };
    expectError(c, 'pupils[1].purchased_place', /school P1 is public/);
  });
});
