import { describe, expect, it } from 'vitest';
import { INDICATOR_BY_ID } from '../../src/engines/indicators/definitions.ts';
import {
  type IndicatorTarget,
  PRELOADED_THRESHOLDS,
  preloadedTargets,
  targetFor,
  targetStatus,
  validateTarget,
} from '../../src/engines/indicators/targets.ts';

const target = (over: Partial<IndicatorTarget> = {}): IndicatorTarget => ({
  indicator_id: 'preschool_ger',
  stage: null,
  comparator: 'at_least',
  threshold: 85,
  close_margin: 2,
  source: 'test',
  ...over,
});

describe('targetStatus', () => {
  it('at_least: met at the threshold, close within the margin, not met beyond it', () => {
    const t = target();
    expect(targetStatus(85, t)).toBe('met');
    expect(targetStatus(101.3, t)).toBe('met');
    expect(targetStatus(84.99, t)).toBe('close');
    expect(targetStatus(83, t)).toBe('close');
    expect(targetStatus(82.99, t)).toBe('not_met');
  });

  it('at_most: met at the threshold, close within the margin above it', () => {
    const t = target({
      indicator_id: 'large_class_share',
      stage: 'primary',
      comparator: 'at_most',
      threshold: 5,
      close_margin: 1,
    });
    expect(targetStatus(0, t)).toBe('met');
    expect(targetStatus(5, t)).toBe('met');
    expect(targetStatus(5.01, t)).toBe('close');
    expect(targetStatus(6, t)).toBe('close');
    expect(targetStatus(6.01, t)).toBe('not_met');
  });

  it('judges the figure as reported, to two decimals', () => {
    expect(targetStatus(84.996, target())).toBe('met');
    expect(targetStatus(84.994, target())).toBe('close');
    // Floating-point noise at the edge of the close band does not flip the status.
    expect(targetStatus(83.0000000001, target())).toBe('close');
  });

  it('a zero margin has no close band; a null value has no status', () => {
    expect(targetStatus(84.99, target({ close_margin: 0 }))).toBe('not_met');
    expect(targetStatus(null, target())).toBeNull();
  });
});

describe('preloaded thresholds', () => {
  it('gives a county the seven thresholds of the issue', () => {
    const county = preloadedTargets('county', 2023);
    const at = (id: string, stage: IndicatorTarget['stage'] = null) => targetFor(county, id, stage);
    expect(at('preschool_ger')).toMatchObject({ comparator: 'at_least', threshold: 85 });
    expect(at('inclusive_kg_coverage')).toMatchObject({ comparator: 'at_least', threshold: 80 });
    expect(at('public_kg_share')).toMatchObject({ comparator: 'at_least', threshold: 50 });
    expect(at('large_class_share', 'junior')).toMatchObject({ comparator: 'at_most', threshold: 5 });
    expect(at('super_large_class_share', 'primary')).toMatchObject({ comparator: 'at_most', threshold: 2 });
    expect(at('migrant_public_share')).toMatchObject({ comparator: 'at_least', threshold: 85 });
    expect(at('disabled_enrollment_rate')).toMatchObject({ comparator: 'at_least', threshold: 97 });
    expect(at('large_class_share', 'senior')).toBeUndefined();
    expect(at('preschool_ger')?.source).toMatch(
      /^国家 preloaded: 《县域学前教育普及普惠督导评估办法》.*\[Official\]$/,
    );
  });

  it('tags a county threshold applied to a city total as practice, a national target as official', () => {
    const city = preloadedTargets('city', 2023);
    expect(targetFor(city, 'preschool_ger', null)?.source).toMatch(/\[Practice\]$/);
    expect(targetFor(city, 'public_kg_share', null)?.source).toMatch(
      /^国家 preloaded: 国家目标.*\[Official\]$/,
    );
    expect(targetFor(preloadedTargets('township', 2023), 'public_kg_share', null)?.source).toMatch(
      /督导评估办法》 \[Practice\]$/,
    );
  });

  it("uses Henan's 2019 targets for the province in 2019 only", () => {
    expect(targetFor(preloadedTargets('province', 2019), 'preschool_ger', null)).toMatchObject({
      threshold: 89,
      source: expect.stringMatching(/^河南 preloaded/),
    });
    expect(targetFor(preloadedTargets('province', 2019), 'public_kg_share', null)?.threshold).toBe(40);
    expect(targetFor(preloadedTargets('province', 2020), 'preschool_ger', null)?.threshold).toBe(85);
    expect(targetFor(preloadedTargets('province', null), 'public_kg_share', null)?.threshold).toBe(50);
  });

  it('gives at most one target per indicator and stage at every level, each valid', () => {
    for (const level of ['township', 'county', 'city', 'province'] as const)
      for (const year of [2019, 2023]) {
        const ts = preloadedTargets(level, year);
        const keys = ts.map((t) => `${t.indicator_id}|${t.stage}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const t of ts) expect(() => validateTarget(t)).not.toThrow();
      }
    for (const p of PRELOADED_THRESHOLDS) {
      expect(INDICATOR_BY_ID.has(p.indicator_id), p.indicator_id).toBe(true);
      expect(p.document.length).toBeGreaterThan(0);
    }
  });
});

describe('validateTarget', () => {
  const fieldOf = (t: Omit<IndicatorTarget, 'source'>) => {
    try {
      validateTarget(t);
    } catch (e) {
      return (e as { field?: string }).field;
    }
    return undefined;
  };
  it('names the field at fault', () => {
    expect(fieldOf(target({ indicator_id: 'nope' }))).toBe('indicator_id');
    expect(fieldOf(target({ stage: 'primary' }))).toBe('stage');
    expect(fieldOf(target({ indicator_id: 'large_class_share' }))).toBe('stage');
    expect(fieldOf(target({ indicator_id: 'large_class_share', stage: 'kindergarten' }))).toBe('stage');
    expect(fieldOf(target({ threshold: 100.5 }))).toBe('threshold');
    expect(fieldOf(target({ threshold: -1 }))).toBe('threshold');
    expect(fieldOf(target({ close_margin: -0.5 }))).toBe('close_margin');
    expect(fieldOf(target({ comparator: 'over' as never }))).toBe('comparator');
    expect(
      fieldOf(target({ indicator_id: 'pupil_teacher_ratio', stage: 'primary', threshold: 19 })),
    ).toBeUndefined();
    expect(fieldOf(target())).toBeUndefined();
  });
});
