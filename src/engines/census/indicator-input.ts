/**
 * A derived census as the indicator engine's input (`eduatlas indicators solve FILE`): the census,
 * teachers and classes of year Y from the registers, the rest (schools, population, the disabled-
 * children register) as the store has them. Only year Y's census is in it, so the retention figures,
 * which need the cohort's earlier censuses, come out "not available" rather than from mixed sources.
 */
import { AppError } from '../../domain/errors.ts';
import type { ParsedIndicatorInput } from '../indicators/contract.ts';
import type { DerivedCensus } from './derive.ts';

/**
 * `base` is the indicator input of the same region and year as loaded from the store; its census,
 * teachers and classes are replaced by the derived ones.
 */
export function indicatorInputOf(derived: DerivedCensus, base: ParsedIndicatorInput): ParsedIndicatorInput {
  if (derived.not_derivable.some((n) => n.field === 'migrant_purchased'))
    throw new AppError(
      'census.indicators_need_purchased',
      '随迁子女就读公办比例需要“政府购买学位”，而学籍中没有这一项',
      'the migrant public share needs migrant_purchased, which the register cannot give',
      'migrant_purchased',
    );
  const teachers = new Map<number, number>();
  for (const t of derived.census_teachers ?? [])
    teachers.set(t.school_id, (teachers.get(t.school_id) ?? 0) + t.full_time_teachers);
  return {
    ...base,
    year: derived.year,
    census: derived.census.map((r) => ({
      school_id: r.school_id,
      year: r.year,
      grade: r.grade,
      pupils: r.pupils_male! + r.pupils_female!,
      migrant: r.migrant!,
      migrant_purchased: r.migrant_purchased!,
      after_school: r.after_school!,
      // Flows the registers could not give are null; without the cohort's earlier years no figure reads them.
      entrants: r.entrants ?? 0,
      transfers_in: r.transfers_in ?? 0,
      transfers_out: r.transfers_out ?? 0,
      graduates: r.graduates ?? 0,
    })),
    teachers: [...teachers].map(([school_id, full_time_teachers]) => ({ school_id, full_time_teachers })),
    classes: (derived.classes ?? []).map((c) => ({ school_id: c.school_id, grade: c.grade, size: c.size })),
  };
}
