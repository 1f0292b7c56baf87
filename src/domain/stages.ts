/** Stages, grades and school types of basic education, and which grades each school type teaches. */

export const GRADES = [
  'K1',
  'K2',
  'K3',
  'G1',
  'G2',
  'G3',
  'G4',
  'G5',
  'G6',
  'G7',
  'G8',
  'G9',
  'G10',
  'G11',
  'G12',
] as const;
export type Grade = (typeof GRADES)[number];

export const STAGES = ['kindergarten', 'primary', 'junior', 'senior'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, string> = {
  kindergarten: '学前',
  primary: '小学',
  junior: '初中',
  senior: '高中阶段',
};

export const STAGE_GRADES: Record<Stage, readonly Grade[]> = {
  kindergarten: ['K1', 'K2', 'K3'],
  primary: ['G1', 'G2', 'G3', 'G4', 'G5', 'G6'],
  junior: ['G7', 'G8', 'G9'],
  senior: ['G10', 'G11', 'G12'],
};

export const GRADE_LABELS: Record<Grade, string> = {
  K1: '小班',
  K2: '中班',
  K3: '大班',
  G1: '一年级',
  G2: '二年级',
  G3: '三年级',
  G4: '四年级',
  G5: '五年级',
  G6: '六年级',
  G7: '初一',
  G8: '初二',
  G9: '初三',
  G10: '高一',
  G11: '高二',
  G12: '高三',
};

export function stageOfGrade(grade: Grade): Stage {
  for (const stage of STAGES) if (STAGE_GRADES[stage].includes(grade)) return stage;
  throw new Error(`unknown grade ${grade}`);
}

/** Usual age on 31 August at the start of the school year, for plausibility checks of birth dates. */
export function typicalEntryAge(grade: Grade): number {
  return GRADES.indexOf(grade) + 3;
}

/** 学校类型: the stage types of the national statistics, including 中等职业学校 (vocational senior secondary). */
export const SCHOOL_TYPES = [
  'kindergarten',
  'primary',
  'junior',
  'nine_year',
  'complete_secondary',
  'senior',
  'twelve_year',
  'vocational',
  'special',
] as const;
export type SchoolType = (typeof SCHOOL_TYPES)[number];

export const SCHOOL_TYPE_LABELS: Record<SchoolType, string> = {
  kindergarten: '幼儿园',
  primary: '小学',
  junior: '初级中学',
  nine_year: '九年一贯制学校',
  complete_secondary: '完全中学',
  senior: '高级中学',
  twelve_year: '十二年一贯制学校',
  vocational: '中等职业学校',
  special: '特殊教育学校',
};

/** Stages each school type teaches. A special-education school teaches the compulsory grades. */
export const SCHOOL_TYPE_STAGES: Record<SchoolType, readonly Stage[]> = {
  kindergarten: ['kindergarten'],
  primary: ['primary'],
  junior: ['junior'],
  nine_year: ['primary', 'junior'],
  complete_secondary: ['junior', 'senior'],
  senior: ['senior'],
  twelve_year: ['primary', 'junior', 'senior'],
  vocational: ['senior'],
  special: ['primary', 'junior'],
};

export function gradesOfSchoolType(type: SchoolType): Grade[] {
  return SCHOOL_TYPE_STAGES[type].flatMap((s) => [...STAGE_GRADES[s]]);
}

export const OWNERSHIPS = ['public', 'private'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];
export const OWNERSHIP_LABELS: Record<Ownership, string> = { public: '公办', private: '民办' };

/** 城区/镇区/乡村: the urban–rural classification of the school's location. */
export const LOCALES = ['urban', 'town', 'rural'] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_LABELS: Record<Locale, string> = { urban: '城区', town: '镇区', rural: '乡村' };

/** Default standard class sizes (标准班额); configurable per school through its capacity rows. */
export const DEFAULT_CLASS_SIZE: Record<Stage, number> = {
  kindergarten: 30,
  primary: 45,
  junior: 50,
  senior: 50,
};

/** Placements of disabled pupils that count as enrolled (every one counts for the enrolment rate). */
export const DISABLED_PLACEMENTS = [
  'regular_class',
  'special_class',
  'special_school',
  'home_teaching',
  'not_enrolled',
] as const;
export type DisabledPlacement = (typeof DISABLED_PLACEMENTS)[number];
export const DISABLED_PLACEMENT_LABELS: Record<DisabledPlacement, string> = {
  regular_class: '随班就读',
  special_class: '特教班',
  special_school: '特殊教育学校',
  home_teaching: '送教上门',
  not_enrolled: '未入学',
};

// English names of the labels above: the web app's English switch and downloads asked for in English.
export const SCHOOL_TYPE_LABELS_EN: Record<SchoolType, string> = {
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
export const STAGE_LABELS_EN: Record<Stage, string> = {
  kindergarten: 'Pre-school',
  primary: 'Primary',
  junior: 'Junior secondary',
  senior: 'Senior secondary',
};
export const OWNERSHIP_LABELS_EN: Record<Ownership, string> = { public: 'Public', private: 'Private' };
export const LOCALE_LABELS_EN: Record<Locale, string> = { urban: 'Urban', town: 'Town', rural: 'Rural' };
export const GRADE_LABELS_EN: Record<Grade, string> = {
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
export const DISABLED_PLACEMENT_LABELS_EN: Record<DisabledPlacement, string> = {
  regular_class: 'Regular class',
  special_class: 'Special class',
  special_school: 'Special school',
  home_teaching: 'Home teaching',
  not_enrolled: 'Not enrolled',
};
