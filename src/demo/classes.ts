/**
 * Classes (recent years) and planned capacity of the demo schools. Class sizes add up to the census
 * pupils of their school, grade and year; a few crowded urban schools keep large classes (大班额) and
 * have more pupils than their planned places.
 */
import { DEFAULT_CLASS_SIZE } from '../domain/stages.ts';
import { type CensusRow, pupilsOf } from './census.ts';
import type { Stream } from './plan.ts';
import { Rng } from './prng.ts';
import { CURRENT_YEAR, FIRST_CLASS_YEAR } from './profile.ts';
import type { DemoSchool } from './schools.ts';

export interface DemoClass {
  school: DemoSchool;
  year: number;
  grade: string;
  classNo: number;
  size: number;
}

export const STANDARD_CLASS_SIZE: Record<Stream, number> = {
  K: DEFAULT_CLASS_SIZE.kindergarten,
  P: DEFAULT_CLASS_SIZE.primary,
  J: DEFAULT_CLASS_SIZE.junior,
  S: DEFAULT_CLASS_SIZE.senior,
  V: DEFAULT_CLASS_SIZE.senior,
  X: 12,
};

/** Typical class size a school aims at in a year; crowded schools shrink theirs slowly. */
function typicalSize(r: CensusRow): number {
  const s = r.school;
  const t = CURRENT_YEAR - r.year; // 0 in 2025
  switch (r.stream) {
    case 'K':
      return s.locale === 'urban' ? 31 : s.locale === 'town' ? 28 : 22;
    case 'P':
      if (s.crowded) return 55 + 1.5 * t;
      return s.locale === 'urban' ? 47 + 0.8 * t : s.locale === 'town' ? 44 + 0.5 * t : 34;
    case 'J':
      if (s.crowded) return 56 + 1.5 * t;
      return s.locale === 'urban' ? 50 + 0.8 * t : s.locale === 'town' ? 49 + 0.5 * t : 44;
    case 'S':
      return 51.5 + 0.8 * t;
    case 'V':
      return 45;
    case 'X':
      return 10;
  }
}

/** Splits the pupils of each census row (years from FIRST_CLASS_YEAR) into classes. */
export function generateClasses(rows: readonly CensusRow[], seed: number, countyCode: string): DemoClass[] {
  const rng = Rng.for(seed, `classes:${countyCode}`);
  const out: DemoClass[] = [];
  for (const r of rows) {
    if (r.year < FIRST_CLASS_YEAR) continue;
    const n = pupilsOf(r);
    if (n === 0) continue;
    const ts = typicalSize(r);
    const k = Math.max(1, Math.round(n / ts));
    const sizes = splitEvenly(n, k);
    // Uneven classes: move a few pupils between random pairs, keeping every class at least 1.
    for (let j = 0; j < k; j++) {
      const a = rng.int(0, k - 1);
      const b = rng.int(0, k - 1);
      const m = Math.min(rng.int(0, 3), sizes[a] - 1);
      if (a !== b && m > 0) {
        sizes[a] -= m;
        sizes[b] += m;
      }
    }
    sizes.forEach((size, j) => {
      out.push({ school: r.school, year: r.year, grade: r.grade, classNo: j + 1, size });
    });
  }
  return out;
}

function splitEvenly(n: number, k: number): number[] {
  const base = Math.floor(n / k);
  return Array.from({ length: k }, (_, j) => base + (j < n - base * k ? 1 : 0));
}

export interface DemoCapacity {
  school: DemoSchool;
  grade: string;
  plannedClasses: number;
  standardClassSize: number;
}

/**
 * Planned classes per grade taught: enough standard-size classes for the 2025 pupils with some room
 * (declining village schools have more), except crowded schools, which are over capacity.
 */
export function generateCapacity(
  schools: readonly DemoSchool[],
  rows: readonly CensusRow[],
  classes: readonly DemoClass[],
  gradesOf: (s: DemoSchool) => { stream: Stream; grade: string }[],
  seed: number,
  countyCode: string,
): DemoCapacity[] {
  const rng = Rng.for(seed, `capacity:${countyCode}`);
  const pupils = new Map<string, number>();
  for (const r of rows) if (r.year === CURRENT_YEAR) pupils.set(`${r.school.id}:${r.grade}`, pupilsOf(r));
  const nClasses = new Map<string, number>();
  for (const c of classes) {
    if (c.year !== CURRENT_YEAR) continue;
    const k = `${c.school.id}:${c.grade}`;
    nClasses.set(k, (nClasses.get(k) ?? 0) + 1);
  }
  const out: DemoCapacity[] = [];
  for (const s of schools) {
    const grades = gradesOf(s);
    // A school still filling up (opened recently) plans its later grades like its entry grade.
    const entry = grades.find((g) => (pupils.get(`${s.id}:${g.grade}`) ?? 0) > 0);
    for (const { stream, grade } of grades) {
      const std = STANDARD_CLASS_SIZE[stream];
      const key = `${s.id}:${grade}`;
      const p = pupils.get(key) ?? (entry ? (pupils.get(`${s.id}:${entry.grade}`) ?? 0) : 0);
      const k = nClasses.get(key) ?? Math.max(1, Math.ceil(p / std));
      let planned: number;
      if (s.crowded && (stream === 'P' || stream === 'J')) planned = Math.max(1, k - rng.int(0, 1));
      else planned = Math.max(k, Math.ceil(p / std)) + (s.locale === 'rural' ? rng.int(0, 2) : rng.int(0, 1));
      out.push({ school: s, grade, plannedClasses: planned, standardClassSize: std });
    }
  }
  return out;
}
