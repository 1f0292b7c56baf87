/**
 * The five 2023 indicators the demo is calibrated to, computed from what the database holds by the
 * indicator engine (src/engines/indicators) over every school in the store. Used by the CLI summary
 * and the tests; a zero denominator shows as rate 0 here (the engine itself gives null).
 */
import type { Kysely } from 'kysely';
import { computeParsedIndicators, type IndicatorResult } from '../engines/indicators/engine.ts';
import { loadIndicatorInput } from '../indicators/load.ts';
import type { Database } from '../store/schema.ts';

export interface IndicatorValue {
  /** Percent, 0–100. */
  rate: number;
  numerator: number;
  denominator: number;
}
export interface DemoIndicators {
  kindergartenGross: IndicatorValue; // 学前三年毛入园率
  retention: IndicatorValue; // 九年义务教育巩固率 (raw)
  seniorGross: IndicatorValue; // 高中阶段毛入学率
  afterSchool: IndicatorValue; // 课后服务参与率
  migrantPublic: IndicatorValue; // 随迁子女就读公办比例
}

const pick = (results: IndicatorResult[], id: string): IndicatorValue => {
  const r = results.find((x) => x.id === id && x.stage === null)!;
  return { rate: r.value ?? 0, numerator: r.numerator, denominator: r.denominator ?? 0 };
};

export async function computeDemoIndicators(db: Kysely<Database>, year = 2023): Promise<DemoIndicators> {
  const results = computeParsedIndicators(await loadIndicatorInput(db, { kind: 'all' }, year));
  return {
    kindergartenGross: pick(results, 'preschool_ger'),
    retention: pick(results, 'compulsory_retention_raw'),
    seniorGross: pick(results, 'senior_ger'),
    afterSchool: pick(results, 'after_school_participation'),
    migrantPublic: pick(results, 'migrant_public_share'),
  };
}
