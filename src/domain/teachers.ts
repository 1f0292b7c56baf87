import { SCHOOL_TYPE_STAGES, type SchoolType, type Stage } from './stages.ts';

/**
 * A school's full-time teachers shared among its stages: the census counts 专任教师 per school and
 * subject, not per stage, so a multi-stage school's teachers go to each stage in proportion to its
 * pupils there; with no pupils, evenly over the stages its type teaches. Shares may be fractional.
 */
export function teachersByStage(
  teachers: number,
  pupilsByStage: ReadonlyMap<Stage, number>,
  schoolType: SchoolType,
): Map<Stage, number> {
  const out = new Map<Stage, number>();
  if (teachers === 0) return out;
  const total = [...pupilsByStage.values()].reduce((a, b) => a + b, 0);
  if (total > 0) {
    for (const [stage, n] of pupilsByStage) out.set(stage, (teachers * n) / total);
  } else {
    const stages = SCHOOL_TYPE_STAGES[schoolType] ?? [];
    for (const stage of stages) out.set(stage, teachers / stages.length);
  }
  return out;
}
