import type { IndicatorInput } from '../../src/engines/indicators/contract.ts';
import type { IndicatorResult } from '../../src/engines/indicators/engine.ts';

/** A census small enough to check on paper; the expected figures are worked out in engine.test.ts. */
export function paperCensus(): IndicatorInput {
  const cohort = [];
  for (let k = 1; k <= 8; k++) {
    cohort.push({
      school_id: 5,
      year: 2014 + k,
      grade: `G${k}` as 'G1',
      pupils: 50,
      transfers_in: k === 4 ? 3 : 0,
      transfers_out: k === 6 ? 1 : 0,
    });
  }
  return {
    year: 2023,
    schools: [
      { id: 1, school_type: 'kindergarten', ownership: 'public' },
      { id: 2, school_type: 'kindergarten', ownership: 'private', inclusive: true },
      { id: 3, school_type: 'kindergarten', ownership: 'private', inclusive: false },
      { id: 4, school_type: 'primary', ownership: 'public', in_group: true },
      { id: 5, school_type: 'nine_year', ownership: 'public', in_group: true },
      { id: 6, school_type: 'primary', ownership: 'private' },
      { id: 7, school_type: 'senior', ownership: 'public' },
    ],
    census: [
      { school_id: 1, year: 2023, grade: 'K1', pupils: 30 },
      { school_id: 1, year: 2023, grade: 'K2', pupils: 30 },
      { school_id: 1, year: 2023, grade: 'K3', pupils: 40 },
      { school_id: 2, year: 2023, grade: 'K1', pupils: 50 },
      { school_id: 3, year: 2023, grade: 'K1', pupils: 50 },
      { school_id: 4, year: 2023, grade: 'G1', pupils: 40, migrant: 10, after_school: 36 },
      { school_id: 5, year: 2014, grade: 'G1', pupils: 50, entrants: 50 },
      ...cohort,
      { school_id: 5, year: 2023, grade: 'G1', pupils: 60, after_school: 50, entrants: 60 },
      { school_id: 5, year: 2023, grade: 'G7', pupils: 40, migrant: 4, after_school: 30 },
      { school_id: 5, year: 2023, grade: 'G9', pupils: 50, after_school: 40, graduates: 48 },
      {
        school_id: 6,
        year: 2023,
        grade: 'G1',
        pupils: 50,
        migrant: 20,
        migrant_purchased: 15,
        after_school: 40,
      },
      { school_id: 7, year: 2023, grade: 'G10', pupils: 100 },
    ],
    teachers: [
      { school_id: 1, full_time_teachers: 10 },
      { school_id: 2, full_time_teachers: 5 },
      { school_id: 3, full_time_teachers: 5 },
      { school_id: 4, full_time_teachers: 5 },
      { school_id: 5, full_time_teachers: 15 },
      { school_id: 6, full_time_teachers: 2 },
      { school_id: 7, full_time_teachers: 10 },
    ],
    classes: [
      { school_id: 4, grade: 'G1', size: 56 },
      { school_id: 4, grade: 'G1', size: 66 },
      { school_id: 4, grade: 'G1', size: 40 },
      { school_id: 4, grade: 'G1', size: 45 },
      { school_id: 5, grade: 'G1', size: 60 },
      { school_id: 5, grade: 'G1', size: 30 },
      { school_id: 7, grade: 'G10', size: 50 },
      { school_id: 7, grade: 'G10', size: 70 },
    ],
    population: [
      { age: 3, persons: 70 },
      { age: 4, persons: 80 },
      { age: 5, persons: 90 },
      { age: 15, persons: 40 },
      { age: 16, persons: 40 },
      { age: 17, persons: 40 },
    ],
    disabled_register: [
      { placement: 'regular_class', children: 5 },
      { placement: 'special_class', children: 2 },
      { placement: 'special_school', children: 3 },
      { placement: 'home_teaching', children: 2 },
      { placement: 'not_enrolled', children: 1 },
    ],
  };
}

export function find(results: IndicatorResult[], id: string, stage: string | null = null): IndicatorResult {
  const r = results.find((x) => x.id === id && x.stage === stage);
  if (!r) throw new Error(`no result ${id} ${stage}`);
  return r;
}
