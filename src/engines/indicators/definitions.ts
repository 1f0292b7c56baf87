/** The official indicators of basic education as data (DOMAIN.md section 5). Conventions: docs/indicators.md. */
import type { Stage } from '../../domain/stages.ts';

export type IndicatorUnit = 'percent' | 'ratio' | 'count';
export type IndicatorSource = 'Official' | 'Official, local form' | 'Practice' | 'Unverified';

export interface IndicatorDefinition {
  id: string;
  zh: string;
  en: string;
  formula: string;
  numerator: string;
  denominator: string;
  unit: IndicatorUnit;
  /** Stages reported one by one; empty for a whole-system indicator (result stage null). */
  stages: readonly Stage[];
  source: IndicatorSource;
}

const CLASS_STAGES = ['primary', 'junior', 'senior'] as const;

export const INDICATORS: readonly IndicatorDefinition[] = [
  {
    id: 'preschool_ger',
    zh: '学前三年毛入园率',
    en: 'Gross pre-school enrolment rate',
    formula: '在园幼儿数（任何年龄）÷ 3–5 周岁人口 × 100（可超过 100%）',
    numerator: 'children in kindergarten grades K1–K3, any age, census autumn Y',
    denominator: 'population aged 3–5 in year Y',
    unit: 'percent',
    stages: [],
    source: 'Official',
  },
  {
    id: 'inclusive_kg_coverage',
    zh: '普惠性幼儿园覆盖率',
    en: 'Inclusive kindergarten coverage',
    formula: '（公办园在园幼儿 + 普惠性民办园在园幼儿）÷ 在园幼儿 × 100',
    numerator: 'children (K1–K3) in public schools plus in private schools flagged inclusive',
    denominator: 'all children in K1–K3',
    unit: 'percent',
    stages: [],
    source: 'Official',
  },
  {
    id: 'public_kg_share',
    zh: '公办园在园幼儿占比',
    en: 'Share of children in public kindergartens',
    formula: '公办园在园幼儿 ÷ 在园幼儿 × 100',
    numerator: 'children (K1–K3) in public schools',
    denominator: 'all children in K1–K3',
    unit: 'percent',
    stages: [],
    source: 'Official',
  },
  {
    id: 'compulsory_retention',
    zh: '九年义务教育巩固率（按转学调整）',
    en: 'Nine-year retention rate, transfer-adjusted',
    formula: '初中毕业生 ÷（该届一年级招生 + 九年转入 − 九年转出）× 100，上限 100%',
    numerator: 'G9 graduates of summer Y (census Y, G9, graduates)',
    denominator:
      'G1 entrants of autumn Y−9 plus transfers in minus transfers out of the cohort (census Y−9+k, Gk, k = 1…9)',
    unit: 'percent',
    stages: [],
    source: 'Official, local form',
  },
  {
    id: 'compulsory_retention_raw',
    zh: '九年义务教育巩固率（未调整）',
    en: 'Nine-year retention rate, raw',
    formula: '初中毕业生 ÷ 该届一年级招生 × 100（人口流入可超过 100%）',
    numerator: 'G9 graduates of summer Y (census Y, G9, graduates)',
    denominator: 'G1 entrants of autumn Y−9 (census Y−9, G1, entrants)',
    unit: 'percent',
    stages: [],
    source: 'Official, local form',
  },
  {
    id: 'senior_ger',
    zh: '高中阶段毛入学率',
    en: 'Senior-secondary gross enrolment rate',
    formula: '高中阶段在校生（普高 + 中职）÷ 15–17 周岁人口 × 100',
    numerator: 'pupils in G10–G12 of every school type (general and vocational), census autumn Y',
    denominator: 'population aged 15–17 in year Y',
    unit: 'percent',
    stages: [],
    source: 'Official',
  },
  {
    id: 'large_class_share',
    zh: '大班额比例',
    en: 'Share of large classes (56–65)',
    formula: '56–65 人的班级数 ÷ 班级总数 × 100',
    numerator: 'classes of the stage with 56–65 pupils, year Y',
    denominator: 'all classes of the stage, year Y',
    unit: 'percent',
    stages: CLASS_STAGES,
    source: 'Official',
  },
  {
    id: 'super_large_class_share',
    zh: '超大班额比例',
    en: 'Share of super-large classes (66 and more)',
    formula: '66 人及以上的班级数 ÷ 班级总数 × 100',
    numerator: 'classes of the stage with 66 or more pupils, year Y',
    denominator: 'all classes of the stage, year Y',
    unit: 'percent',
    stages: CLASS_STAGES,
    source: 'Official',
  },
  {
    id: 'pupil_teacher_ratio',
    zh: '生师比',
    en: 'Pupil–teacher ratio',
    formula: '在校生 ÷ 专任教师（多学段学校的教师按各学段在校生比例分摊）',
    numerator: 'pupils of the stage, census autumn Y',
    denominator: 'full-time teachers of the stage; a multi-stage school’s teachers split by pupil share',
    unit: 'ratio',
    stages: ['kindergarten', 'primary', 'junior', 'senior'],
    source: 'Unverified',
  },
  {
    id: 'migrant_public_share',
    zh: '随迁子女在公办学校就读比例',
    en: 'Migrant children in public schools (incl. purchased places)',
    formula: '（公办学校随迁子女 + 政府购买民办学位随迁子女）÷ 随迁子女 × 100',
    numerator: 'migrant pupils G1–G9 in public schools plus purchased places in private schools',
    denominator: 'all migrant pupils G1–G9',
    unit: 'percent',
    stages: [],
    source: 'Official',
  },
  {
    id: 'disabled_enrollment_rate',
    zh: '适龄残疾儿童少年义务教育入学率',
    en: 'Compulsory-education enrolment of disabled children',
    formula: '已安置（随班就读 + 特教班 + 特殊教育学校 + 送教上门）÷ 登记的适龄残疾儿童少年 × 100',
    numerator:
      'register entries of year Y placed in regular class, special class, special school or home teaching',
    denominator: 'all register entries of year Y',
    unit: 'percent',
    stages: [],
    source: 'Practice',
  },
  {
    id: 'after_school_participation',
    zh: '课后服务参与率',
    en: 'After-school participation rate',
    formula: '参加课后服务的学生 ÷ 在校生 × 100（义务教育阶段）',
    numerator: 'pupils G1–G9 taking after-school services, census autumn Y',
    denominator: 'pupils G1–G9, census autumn Y',
    unit: 'percent',
    stages: [],
    source: 'Practice',
  },
  {
    id: 'group_coverage_schools',
    zh: '集团化办学覆盖率（学校）',
    en: 'Education-group coverage, schools',
    formula: '加入教育集团的学校数 ÷ 学校数 × 100',
    numerator: 'schools with pupils in census Y that lead or belong to a group as of year Y',
    denominator: 'schools with pupils in census Y',
    unit: 'percent',
    stages: [],
    source: 'Practice',
  },
  {
    id: 'group_coverage_pupils',
    zh: '集团化办学覆盖率（学生）',
    en: 'Education-group coverage, pupils',
    formula: '集团成员学校在校生 ÷ 在校生 × 100',
    numerator: 'pupils of schools that lead or belong to a group as of year Y',
    denominator: 'all pupils, census autumn Y',
    unit: 'percent',
    stages: [],
    source: 'Practice',
  },
];

export const INDICATOR_BY_ID: ReadonlyMap<string, IndicatorDefinition> = new Map(
  INDICATORS.map((d) => [d.id, d]),
);

/**
 * The indicators in the groups of the annual report 年报 (one sheet each) and of the pages, in the
 * order the bureau reports them. Every indicator belongs to exactly one group.
 */
export interface IndicatorGroup {
  id: string;
  zh: string;
  en: string;
  indicators: readonly string[];
}

export const INDICATOR_GROUPS: readonly IndicatorGroup[] = [
  {
    id: 'preschool',
    zh: '学前教育',
    en: 'Pre-school',
    indicators: ['preschool_ger', 'inclusive_kg_coverage', 'public_kg_share'],
  },
  {
    id: 'compulsory',
    zh: '义务教育',
    en: 'Compulsory education',
    indicators: ['compulsory_retention', 'compulsory_retention_raw'],
  },
  { id: 'senior', zh: '高中阶段', en: 'Senior secondary', indicators: ['senior_ger'] },
  {
    id: 'class_size',
    zh: '班额',
    en: 'Class size',
    indicators: ['large_class_share', 'super_large_class_share'],
  },
  { id: 'pupil_teacher', zh: '生师比', en: 'Pupil–teacher ratio', indicators: ['pupil_teacher_ratio'] },
  {
    id: 'inclusion',
    zh: '随迁子女与特殊教育',
    en: 'Migrants and special needs',
    indicators: ['migrant_public_share', 'disabled_enrollment_rate'],
  },
  {
    id: 'services',
    zh: '课后服务与集团化',
    en: 'After-school and groups',
    indicators: ['after_school_participation', 'group_coverage_schools', 'group_coverage_pupils'],
  },
];
