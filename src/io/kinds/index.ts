import { AppError } from '../../domain/errors.ts';
import type { ImportKind, KindName } from '../spec.ts';
import { birthsKind } from './births.ts';
import { catchmentsKind } from './catchments.ts';
import { censusKind } from './census.ts';
import { censusTeachersKind } from './census-teachers.ts';
import { classesKind } from './classes.ts';
import { disabledChildrenKind } from './disabled-children.ts';
import { housingKind } from './housing.ts';
import { populationKind } from './population.ts';
import { projectsKind } from './projects.ts';
import { schoolsKind } from './schools.ts';
import { studentsKind } from './students.ts';
import { teachersKind } from './teachers.ts';

/** Every import kind, in the order a new installation loads them (schools before what refers to them). */
export const KINDS: readonly ImportKind[] = [
  schoolsKind,
  classesKind,
  censusKind,
  censusTeachersKind,
  studentsKind,
  teachersKind,
  populationKind,
  birthsKind,
  housingKind,
  catchmentsKind,
  projectsKind,
  disabledChildrenKind,
];

export const KIND_NAMES = KINDS.map((k) => k.name);

/** The kind by name; the table name (census_teachers) is accepted for the kind (census-teachers). */
export function findKind(name: string): ImportKind | undefined {
  const n = name.trim().toLowerCase().replace(/_/g, '-');
  return KINDS.find((k) => k.name === n || k.table === name);
}

export function getKind(name: KindName | string): ImportKind {
  const kind = findKind(name);
  if (!kind) {
    throw new AppError(
      'io.unknown_kind',
      `没有“${name}”这种数据：可用的有 ${KIND_NAMES.join('、')}`,
      `Unknown kind "${name}": use one of ${KIND_NAMES.join(', ')}`,
      'KIND',
    );
  }
  return kind;
}
