import { ROLE_LABELS, ROLES, type Role } from '../../src/auth/roles.ts';
import {
  GRADE_LABELS,
  GRADE_LABELS_EN,
  GRADES,
  LOCALE_LABELS,
  LOCALE_LABELS_EN,
  LOCALES,
  OWNERSHIP_LABELS,
  OWNERSHIP_LABELS_EN,
  OWNERSHIPS,
  SCHOOL_TYPE_LABELS,
  SCHOOL_TYPE_LABELS_EN,
  SCHOOL_TYPES,
  STAGE_LABELS,
  STAGE_LABELS_EN,
  STAGES,
} from '../../src/domain/stages.ts';
import { SUBJECT_KEYS, SUBJECTS } from '../../src/domain/subjects.ts';
import type { Lang } from './i18n/lang.tsx';

// The labels are the domain's own (src/domain/stages.ts, src/auth/roles.ts): plain constants with
// no imports, which the server's downloads use as well.

type Table = Record<string, string>;
const TABLES = {
  schoolType: { zh: SCHOOL_TYPE_LABELS as Table, en: SCHOOL_TYPE_LABELS_EN as Table, keys: SCHOOL_TYPES },
  stage: { zh: STAGE_LABELS as Table, en: STAGE_LABELS_EN as Table, keys: STAGES },
  ownership: { zh: OWNERSHIP_LABELS as Table, en: OWNERSHIP_LABELS_EN as Table, keys: OWNERSHIPS },
  locale: { zh: LOCALE_LABELS as Table, en: LOCALE_LABELS_EN as Table, keys: LOCALES },
  grade: { zh: GRADE_LABELS as Table, en: GRADE_LABELS_EN as Table, keys: GRADES },
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
