import { ROLE_LABELS, ROLES, type Role } from '../../src/auth/roles.ts';
import {
  GRADE_LABELS,
  GRADES,
  type Grade,
  LOCALE_LABELS,
  LOCALES,
  OWNERSHIP_LABELS,
  OWNERSHIPS,
  SCHOOL_TYPE_LABELS,
  SCHOOL_TYPES,
  STAGE_LABELS,
  STAGES,
} from '../../src/domain/stages.ts';
import { SUBJECT_KEYS, SUBJECTS } from '../../src/domain/subjects.ts';
import type { Lang } from './i18n/lang.tsx';

// The Chinese labels are the domain's own (src/domain/stages.ts, src/auth/roles.ts: plain constants
// with no imports); the English ones live here, next to the web app that shows them.

const SCHOOL_TYPE_EN: Record<(typeof SCHOOL_TYPES)[number], string> = {
  kindergarten: 'Kindergarten',
  primary: 'Primary school',
  junior: 'Junior secondary school',
  nine_year: 'Nine-year school',
  complete_secondary: 'Complete secondary school',
  senior: 'Senior secondary school',
  twelve_year: 'Twelve-year school',
  vocational: 'Secondary vocational school',
  special: 'Special education school',
};
const STAGE_EN: Record<(typeof STAGES)[number], string> = {
  kindergarten: 'Pre-school',
  primary: 'Primary',
  junior: 'Junior secondary',
  senior: 'Senior secondary',
};
const OWNERSHIP_EN: Record<(typeof OWNERSHIPS)[number], string> = { public: 'Public', private: 'Private' };
const LOCALE_EN: Record<(typeof LOCALES)[number], string> = { urban: 'Urban', town: 'Town', rural: 'Rural' };
const GRADE_EN: Record<Grade, string> = {
  K1: 'K1 (nursery)',
  K2: 'K2 (middle)',
  K3: 'K3 (senior)',
  G1: 'Grade 1',
  G2: 'Grade 2',
  G3: 'Grade 3',
  G4: 'Grade 4',
  G5: 'Grade 5',
  G6: 'Grade 6',
  G7: 'Grade 7',
  G8: 'Grade 8',
  G9: 'Grade 9',
  G10: 'Grade 10',
  G11: 'Grade 11',
  G12: 'Grade 12',
};

type Table = Record<string, string>;
const TABLES = {
  schoolType: { zh: SCHOOL_TYPE_LABELS as Table, en: SCHOOL_TYPE_EN as Table, keys: SCHOOL_TYPES },
  stage: { zh: STAGE_LABELS as Table, en: STAGE_EN as Table, keys: STAGES },
  ownership: { zh: OWNERSHIP_LABELS as Table, en: OWNERSHIP_EN as Table, keys: OWNERSHIPS },
  locale: { zh: LOCALE_LABELS as Table, en: LOCALE_EN as Table, keys: LOCALES },
  grade: { zh: GRADE_LABELS as Table, en: GRADE_EN as Table, keys: GRADES },
  subject: {
    zh: Object.fromEntries(SUBJECT_KEYS.map((k) => [k, SUBJECTS[k].zh])) as Table,
    en: Object.fromEntries(SUBJECT_KEYS.map((k) => [k, SUBJECTS[k].en])) as Table,
    keys: SUBJECT_KEYS,
  },
  role: {
    zh: Object.fromEntries(ROLES.map((r) => [r, ROLE_LABELS[r].zh])) as Table,
    en: Object.fromEntries(ROLES.map((r) => [r, ROLE_LABELS[r].en])) as Table,
    keys: ROLES,
  },
} as const;
export type LabelKind = keyof typeof TABLES;

/** The label of a domain value in the user's language; an unknown value shows as itself. */
export function labelOf(kind: LabelKind, key: string | null | undefined, lang: Lang): string {
  if (key == null) return '—';
  return TABLES[kind][lang][key] ?? TABLES[kind].zh[key] ?? key;
}

/** Select options for a kind of domain value, in its canonical order. */
export function optionsOf(kind: LabelKind, lang: Lang): { value: string; label: string }[] {
  return TABLES[kind].keys.map((k) => ({ value: k, label: labelOf(kind, k, lang) }));
}

export const ALL_ROLES: readonly Role[] = ROLES;
export type { Role };
/** Roles whose scope is a city (or the province), given by a region code. */
export const CITY_ROLES = ROLES.filter((r) => r.startsWith('city_'));

export const GRADE_ORDER: readonly string[] = GRADES;
export const SCHOOL_TYPE_ORDER: readonly string[] = SCHOOL_TYPES;
export const STAGE_ORDER: readonly string[] = STAGES;
export const OWNERSHIP_ORDER: readonly string[] = OWNERSHIPS;

/** Fixed colours per school type, shared by the map and the legend. */
export const SCHOOL_TYPE_COLORS: Record<string, string> = {
  kindergarten: '#f6bd16',
  primary: '#5b8ff9',
  junior: '#5ad8a6',
  nine_year: '#269a99',
  complete_secondary: '#9270ca',
  senior: '#e8684a',
  twelve_year: '#ff9d4d',
  vocational: '#6dc8ec',
  special: '#ff99c3',
};
