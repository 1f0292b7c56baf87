import type { DeriveInput } from '../../src/engines/census/contract.ts';

type Pupil = DeriveInput['pupils'][number];

/**
 * Registers of 2024 and 2025 small enough to check on paper: a public and a private primary school,
 * a junior school and a special-education school (docs/census.md walks through the expected figures).
 */
export function paperRegisters(): DeriveInput & { pupils: Pupil[] } {
  const p = (
    student_no: string,
    school_id: number,
    grade: Pupil['grade'],
    sex: 'M' | 'F',
    extra: Partial<Pupil> = {},
  ): Pupil => ({
    student_no,
    school_id,
    grade,
    sex,
    class_no: 1,
    purchased_place: false,
    ...extra,
  });
  return {
    year: 2025,
    schools: [
      { id: 1, code: 'P1', county_code: '411402', school_type: 'primary', ownership: 'public' },
      { id: 2, code: 'P2', county_code: '411402', school_type: 'primary', ownership: 'private' },
      { id: 3, code: 'J1', county_code: '411402', school_type: 'junior', ownership: 'public' },
      { id: 4, code: 'S1', county_code: '411423', school_type: 'special', ownership: 'public' },
    ],
    pupils: [
      p('a', 1, 'G1', 'F', { migrant: true }), // new in an entry grade: entrant
      p('b', 1, 'G1', 'M'), // entrant
      p('c', 1, 'G1', 'M'), // repeats G1: no entrant
      p('d', 1, 'G2', 'F', { left_behind: true, boarder: true }), // promoted at P1
      p('e', 1, 'G2', 'M', { after_school: true }), // was G1 at P2: transfer P2 → P1 in G1
      p('f', 1, 'G3', 'F', { disabled: true, disabled_placement: 'regular_class' }), // new in G3: transfer in, G2
      p('Gq', 1, 'G4', 'M', { id_number: 'ID-Q' }), // was Lq at P2 in G3 (new 学籍号, same ID): transfer in G3
      p('g', 2, 'G2', 'M', { migrant: true, purchased_place: true }),
      p('h', 2, 'G2', 'F', { migrant: true }),
      p('i', 3, 'G7', 'M'), // was G6 at P1: graduate of P1, entrant of J1
      p('j', 3, 'G7', 'F'), // new: entrant
      p('k', 3, 'G8', 'M'),
      p('l', 4, 'G3', 'M', { disabled: true, disabled_placement: 'special_school' }),
      p('m', 4, 'G3', 'F', { disabled: true, disabled_placement: 'home_teaching', class_no: 1 }),
    ],
    previous_pupils: [
      { student_no: 'c', school_id: 1, grade: 'G1' },
      { student_no: 'd', school_id: 1, grade: 'G1' },
      { student_no: 'e', school_id: 2, grade: 'G1' },
      { student_no: 'g', school_id: 2, grade: 'G1' },
      { student_no: 'h', school_id: 2, grade: 'G1' },
      { student_no: 'i', school_id: 1, grade: 'G6' },
      { student_no: 'k', school_id: 3, grade: 'G7' },
      { student_no: 'l', school_id: 4, grade: 'G2' },
      { student_no: 'm', school_id: 4, grade: 'G2' },
      { student_no: 'n', school_id: 1, grade: 'G6' }, // left after G6: graduate of P1
      { student_no: 'o', school_id: 3, grade: 'G9' }, // left after G9: graduate of J1
      { student_no: 'p', school_id: 1, grade: 'G4' }, // left from G4: transfer out
      { student_no: 'Lq', school_id: 2, grade: 'G3', id_number: 'ID-Q' },
    ],
    teachers: [
      { school_id: 1, subject: 'chinese', full_time: 1 },
      { school_id: 1, subject: 'chinese', full_time: 1 },
      { school_id: 1, subject: 'math', full_time: 1 },
      { school_id: 1, subject: 'music', full_time: 0 }, // part-time: not in the census
      { school_id: 3, subject: 'math', full_time: 1, count: 3 },
    ],
  };
}

const ZERO = {
  pupils_male: 0,
  pupils_female: 0,
  migrant: 0,
  migrant_purchased: 0,
  disabled_regular_class: 0,
  disabled_special_class: 0,
  disabled_special_school: 0,
  disabled_home_teaching: 0,
  left_behind: 0,
  boarders: 0,
  after_school: 0,
  entrants: 0,
  transfers_in: 0,
  transfers_out: 0,
  graduates: 0,
};

/** The census of 2025 worked out by hand from `paperRegisters()`. */
export function paperCensus() {
  const row = (school_id: number, grade: string, counts: Partial<typeof ZERO>) => ({
    school_id,
    county_code: school_id === 4 ? '411423' : '411402',
    year: 2025,
    grade,
    ...ZERO,
    ...counts,
  });
  return [
    row(1, 'G1', { pupils_male: 2, pupils_female: 1, migrant: 1, entrants: 2, transfers_in: 1 }),
    row(1, 'G2', {
      pupils_male: 1,
      pupils_female: 1,
      left_behind: 1,
      boarders: 1,
      after_school: 1,
      transfers_in: 1,
    }),
    row(1, 'G3', { pupils_female: 1, disabled_regular_class: 1, transfers_in: 1 }),
    row(1, 'G4', { pupils_male: 1, transfers_out: 1 }),
    row(1, 'G6', { graduates: 2 }),
    row(2, 'G1', { transfers_out: 1 }),
    row(2, 'G2', { pupils_male: 1, pupils_female: 1, migrant: 2, migrant_purchased: 1 }),
    row(2, 'G3', { transfers_out: 1 }),
    row(3, 'G7', { pupils_male: 1, pupils_female: 1, entrants: 2 }),
    row(3, 'G8', { pupils_male: 1 }),
    row(3, 'G9', { graduates: 1 }),
    row(4, 'G3', { pupils_male: 1, pupils_female: 1, disabled_special_school: 1, disabled_home_teaching: 1 }),
  ];
}
