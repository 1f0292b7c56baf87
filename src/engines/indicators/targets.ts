/**
 * Targets 目标值: the threshold an indicator is held to, and whether a figure meets it. Pure: the
 * national and Henan thresholds of DOMAIN.md section 5 are data here; the bureau's edits live in the
 * store (`src/indicators/targets.ts`) and override them. Conventions: docs/indicators.md, "Targets".
 */
import { AppError } from '../../domain/errors.ts';
import type { RegionLevel } from '../../domain/regions/index.ts';
import type { Stage } from '../../domain/stages.ts';
import { INDICATOR_BY_ID, type IndicatorUnit } from './definitions.ts';

export const TARGET_COMPARATORS = ['at_least', 'at_most'] as const;
export type TargetComparator = (typeof TARGET_COMPARATORS)[number];
export type TargetStatus = 'met' | 'close' | 'not_met';

export interface IndicatorTarget {
  indicator_id: string;
  /** null for whole-system indicators, else the stage it applies to. */
  stage: Stage | null;
  /** ≥ threshold or ≤ threshold. */
  comparator: TargetComparator;
  /** In the indicator's unit (percentage points for percent). */
  threshold: number;
  /** 'close' when not met but within this distance of the threshold. */
  close_margin: number;
  /** `国家 preloaded: <document> [tag]`, `河南 preloaded: …`, or `bureau` when edited. */
  source: string;
}

/** Figures are reported to two decimals (93.16%); a figure shown as 85.00% meets ≥ 85%. */
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Met, close or not met; null when the value is null (not available).
 * `targetStatus(84, { comparator: 'at_least', threshold: 85, close_margin: 2, … })` → `'close'`.
 */
export function targetStatus(value: number | null, target: IndicatorTarget): TargetStatus | null {
  if (value === null) return null;
  const v = round2(value);
  // Distance on the wrong side of the threshold: ≤ 0 means met.
  const shortfall = target.comparator === 'at_least' ? target.threshold - v : v - target.threshold;
  if (shortfall <= 0) return 'met';
  return round2(shortfall) <= target.close_margin ? 'close' : 'not_met';
}

/** The target that applies to one result (matching id and stage), or undefined. */
export function targetFor(
  targets: readonly IndicatorTarget[],
  id: string,
  stage: Stage | null,
): IndicatorTarget | undefined {
  return targets.find((t) => t.indicator_id === id && t.stage === stage);
}

/**
 * The default 'close' margin: 2 percentage points for a percent, 1 pupil per teacher for a ratio, 0 for
 * a count. Class-size shares get 1 point instead (their thresholds, 5% and 2%, are small themselves).
 */
export function defaultCloseMargin(unit: IndicatorUnit): number {
  return unit === 'percent' ? 2 : unit === 'ratio' ? 1 : 0;
}

export type ThresholdCertainty = 'Official' | 'Practice';

/** One preloaded threshold: who set it, in which document, for which region levels (and year). */
export interface PreloadedThreshold {
  indicator_id: string;
  stage: Stage | null;
  comparator: TargetComparator;
  threshold: number;
  close_margin: number;
  levels: readonly RegionLevel[];
  /** Only this year; absent for every year. A year's row wins over the every-year row of its level. */
  year?: number;
  authority: '国家' | '河南';
  document: string;
  /** DOMAIN.md's tag for this use: Official where the document sets it for these levels, else Practice. */
  certainty: ThresholdCertainty;
}

const ALL_LEVELS: readonly RegionLevel[] = ['township', 'county', 'city', 'province'];
const COUNTY_PRESCHOOL = '《县域学前教育普及普惠督导评估办法》';
const COUNTY_BALANCED = '《县域义务教育优质均衡发展督导评估办法》（教督〔2017〕6号）';
const CLASS_SIZE = '教育部消除大班额目标：2018 年底超大班额 ≤2%，2020 年底大班额 ≤5%';
const DISABLED = '《“十四五”特殊教育发展提升行动计划》（国办发〔2021〕60号）：2025 年入学率达到 97%';
const HENAN_2019 = '河南省 2019 年学前教育目标（毛入园率 89%、普惠性覆盖率 75%、公办园占比 40%）';
const NATIONAL_PUBLIC_SHARE = '国家目标：公办园在园幼儿占比原则上达到 50%（2018 年 11 月）';

const atLeast = (
  indicator_id: string,
  threshold: number,
  levels: readonly RegionLevel[],
  document: string,
  certainty: ThresholdCertainty,
): PreloadedThreshold => ({
  indicator_id,
  stage: null,
  comparator: 'at_least',
  threshold,
  close_margin: 2,
  levels,
  authority: '国家',
  document,
  certainty,
});

/**
 * A county threshold: Official for counties; no document sets one for a township, city or province
 * total, so the same figure applies to them as practice.
 */
const countyThreshold = (indicator_id: string, threshold: number, document: string) => [
  atLeast(indicator_id, threshold, ['county'], document, 'Official'),
  atLeast(indicator_id, threshold, ['township', 'city', 'province'], document, 'Practice'),
];

/** Class-size targets are set for compulsory education, so only primary and junior carry them. */
const classSize = (indicator_id: string, threshold: number): PreloadedThreshold[] =>
  (['primary', 'junior'] as const).map((stage) => ({
    indicator_id,
    stage,
    comparator: 'at_most',
    threshold,
    close_margin: 1,
    levels: ALL_LEVELS,
    authority: '国家',
    document: CLASS_SIZE,
    certainty: 'Official',
  }));

/** DOMAIN.md section 5 (and the 优质均衡 method of section 4) as data; docs/indicators.md has the table. */
export const PRELOADED_THRESHOLDS: readonly PreloadedThreshold[] = [
  ...countyThreshold('preschool_ger', 85, COUNTY_PRESCHOOL),
  ...countyThreshold('inclusive_kg_coverage', 80, COUNTY_PRESCHOOL),
  // Public share: the county method for counties and townships, the national target for city and province.
  atLeast('public_kg_share', 50, ['county'], COUNTY_PRESCHOOL, 'Official'),
  atLeast('public_kg_share', 50, ['township'], COUNTY_PRESCHOOL, 'Practice'),
  atLeast('public_kg_share', 50, ['city', 'province'], NATIONAL_PUBLIC_SHARE, 'Official'),
  // Henan's provincial pre-school targets were set for 2019; other years fall back to the rows above.
  ...(
    [
      ['preschool_ger', 89],
      ['inclusive_kg_coverage', 75],
      ['public_kg_share', 40],
    ] as const
  ).map(
    ([id, threshold]): PreloadedThreshold => ({
      ...atLeast(id, threshold, ['province'], HENAN_2019, 'Official'),
      year: 2019,
      authority: '河南',
    }),
  ),
  ...classSize('large_class_share', 5),
  ...classSize('super_large_class_share', 2),
  ...countyThreshold('migrant_public_share', 85, COUNTY_BALANCED),
  // The 97% target is Official at every level; counting every placement in the numerator is practice.
  atLeast('disabled_enrollment_rate', 97, ALL_LEVELS, DISABLED, 'Official'),
];

const sourceOf = (p: PreloadedThreshold) => `${p.authority} preloaded: ${p.document} [${p.certainty}]`;

/**
 * The preloaded targets for a region of this level in this year (a year's own row wins); year null
 * gives the every-year ones.
 */
export function preloadedTargets(level: RegionLevel, year: number | null): IndicatorTarget[] {
  const byKey = new Map<string, PreloadedThreshold>();
  for (const p of PRELOADED_THRESHOLDS) {
    if (!p.levels.includes(level) || (p.year !== undefined && p.year !== year)) continue;
    const key = `${p.indicator_id}|${p.stage ?? ''}`;
    const held = byKey.get(key);
    if (!held || (held.year === undefined && p.year !== undefined)) byKey.set(key, p);
  }
  return [...byKey.values()].map((p) => ({
    indicator_id: p.indicator_id,
    stage: p.stage,
    comparator: p.comparator,
    threshold: p.threshold,
    close_margin: p.close_margin,
    source: sourceOf(p),
  }));
}

const invalid = (field: string, zh: string, en: string) => new AppError('targets.invalid', zh, en, field);

/** Checks an edited target against the indicator definitions; the error names the field. */
export function validateTarget(t: Omit<IndicatorTarget, 'source'>): void {
  const def = INDICATOR_BY_ID.get(t.indicator_id);
  if (!def)
    throw invalid('indicator_id', `未知指标 ${t.indicator_id}`, `unknown indicator ${t.indicator_id}`);
  if (def.stages.length === 0 && t.stage !== null)
    throw invalid('stage', `${def.zh}不分学段`, `${def.en} has no stages`);
  if (def.stages.length > 0 && (t.stage === null || !def.stages.includes(t.stage)))
    throw invalid(
      'stage',
      `${def.zh}的学段应为 ${def.stages.join('、')}`,
      `${def.en} needs a stage, one of ${def.stages.join(', ')}`,
    );
  if (!TARGET_COMPARATORS.includes(t.comparator))
    throw invalid('comparator', '比较方式应为 at_least 或 at_most', 'comparator must be at_least or at_most');
  const max = def.unit === 'percent' ? 100 : Number.POSITIVE_INFINITY;
  if (!Number.isFinite(t.threshold) || t.threshold < 0 || t.threshold > max)
    throw invalid(
      'threshold',
      def.unit === 'percent' ? '百分比目标值应在 0 到 100 之间' : '目标值应为非负数',
      def.unit === 'percent'
        ? 'a percent threshold must be between 0 and 100'
        : 'threshold must be non-negative',
    );
  if (!Number.isFinite(t.close_margin) || t.close_margin < 0 || t.close_margin > max)
    throw invalid(
      'close_margin',
      def.unit === 'percent' ? '接近范围应在 0 到 100 个百分点之间' : '接近范围应为非负数',
      def.unit === 'percent'
        ? 'close_margin must be between 0 and 100 percentage points'
        : 'close_margin must be non-negative',
    );
}
