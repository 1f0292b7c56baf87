/**
 * Projected class sizes after a plan (班额), for the comparison's large-class shares. The forecast's
 * balance (src/forecast/balance.ts) spreads each grade's pupils as evenly as possible over the grade's
 * planned classes and counts the classes of more than 55 pupils (大班额, 56 and more) — the plan's
 * figures use the same rule over the pupils the plan assigns to each school:
 *
 * - a school's pupils by grade: each demand point's assigned pupils split by its forecast area's grade
 *   mix in the target year, over the grades the school teaches (taughtGrades);
 * - a school's classes by grade: its planned classes, plus the classes the plan adds, each to the grade
 *   whose classes are then fullest (the best the school could do); a new school's classes (seats ÷ the
 *   standard class size, rounded up) are placed the same way;
 * - per grade, classShares (balance.ts): with P pupils in C classes, P mod C classes hold ⌈P/C⌉.
 *
 * So the shares are a lower bound, like the balance's. Pure: plain data in, plain data out.
 */
import { DEFAULT_CLASS_SIZE, type Grade, STAGE_GRADES } from '../domain/stages.ts';
import type { PlanningResult } from '../engines/planning/index.ts';
import { classShares } from '../forecast/balance.ts';
import type { PlanningStage } from './input.ts';

/** 大班额: a class of more than 55 pupils (56–65; DOMAIN.md "Class-size bands"), as the balance counts. */
export const LARGE_CLASS_OVER = 55;
/** 超大班额: a class of more than 65 pupils (66 and more). */
export const SUPER_LARGE_CLASS_OVER = 65;

type ByGrade = Partial<Record<Grade, number>>;

export interface ClassSizeInput {
  stage: PlanningStage;
  plan: NonNullable<PlanningResult['plan']>;
  /** School code → grade → planned classes before the plan. */
  classesByGrade: Record<string, ByGrade>;
  /** Forecast areas: pupils by grade in the target year, and the demand points they went to. */
  areas: { grades: ByGrade; points: string[] }[];
}

export interface ClassSizeShares {
  /** Classes of the open schools after the plan. */
  classes: number;
  /** Of them, classes of 56 pupils or more (大班额 and 超大班额), and of 66 or more (超大班额). */
  large: number;
  superLarge: number;
  /** large ÷ classes, superLarge ÷ classes; 0 without classes. */
  largeShare: number;
  superLargeShare: number;
}

/**
 * Classes by grade after adding `extra` classes one at a time, each to the grade with the most pupils
 * per class (a grade with pupils and no class first; ties to the lower grade).
 * @example placeClasses(['G1', 'G2'], { G1: 120, G2: 90 }, { G1: 2, G2: 2 }, 1) // { G1: 3, G2: 2 }
 */
export function placeClasses(
  grades: readonly Grade[],
  pupils: ByGrade,
  base: ByGrade,
  extra: number,
): ByGrade {
  const out: ByGrade = Object.fromEntries(grades.map((g) => [g, base[g] ?? 0]));
  const load = (g: Grade) => {
    const p = pupils[g] ?? 0;
    const c = out[g] ?? 0;
    return c === 0 ? (p > 0 ? Number.POSITIVE_INFINITY : 0) : p / c;
  };
  for (let i = 0; i < extra; i++) {
    let best = grades[0]!;
    for (const g of grades) if (load(g) > load(best)) best = g;
    out[best] = (out[best] ?? 0) + 1;
  }
  return out;
}

/**
 * A school's pupils over the grades it teaches (those with planned classes; every grade of the stage when
 * it has none, as a new school): a school of grades 1–3 (教学点) teaches all its pupils in them.
 * @example taughtGrades(['G1', 'G2'], { G1: 72, G2: 48 }, { G1: 2 }) // { G1: 120, G2: 0 }
 */
export function taughtGrades(grades: readonly Grade[], pupils: ByGrade, base: ByGrade): ByGrade {
  const taught = grades.filter((g) => (base[g] ?? 0) > 0);
  if (taught.length === 0 || taught.length === grades.length) return pupils;
  const total = grades.reduce((s, g) => s + (pupils[g] ?? 0), 0);
  const inTaught = taught.reduce((s, g) => s + (pupils[g] ?? 0), 0);
  return Object.fromEntries(
    grades.map((g) => [
      g,
      !taught.includes(g) ? 0 : inTaught > 0 ? (total * (pupils[g] ?? 0)) / inTaught : total / taught.length,
    ]),
  );
}

/**
 * The plan's projected large-class shares.
 * @example one school, G1 120 pupils in 2 planned classes, G2 80 in 2: G1's classes hold 60 (大班额),
 *   G2's 40 — large 2 of 4 classes, share 0.5; with one added class it goes to G1 (40 each): share 0.
 */
export function planClassSizes(o: ClassSizeInput): ClassSizeShares {
  const grades = STAGE_GRADES[o.stage];
  const mixOf = new Map<string, ByGrade>();
  for (const a of o.areas) {
    const total = grades.reduce((s, g) => s + (a.grades[g] ?? 0), 0);
    const mix: ByGrade = Object.fromEntries(
      grades.map((g) => [g, total > 0 ? (a.grades[g] ?? 0) / total : 1 / grades.length]),
    );
    for (const p of a.points) mixOf.set(p, mix);
  }
  const even: ByGrade = Object.fromEntries(grades.map((g) => [g, 1 / grades.length]));
  const pupilsAt = new Map<string, ByGrade>();
  for (const a of o.plan.assignments) {
    const mix = mixOf.get(a.demand_point) ?? even;
    const at = pupilsAt.get(a.facility) ?? {};
    for (const g of grades) at[g] = (at[g] ?? 0) + a.pupils * (mix[g] ?? 0);
    pupilsAt.set(a.facility, at);
  }
  const out = { classes: 0, large: 0, superLarge: 0 };
  const count = (id: string, base: ByGrade, extra: number) => {
    const pupils = taughtGrades(grades, pupilsAt.get(id) ?? {}, base);
    const classes = placeClasses(grades, pupils, base, extra);
    for (const g of grades) {
      const p = pupils[g] ?? 0;
      const c = classes[g] ?? 0;
      out.classes += c;
      out.large += classShares(p, c, 0, LARGE_CLASS_OVER).large;
      out.superLarge += classShares(p, c, 0, SUPER_LARGE_CLASS_OVER).large;
    }
  };
  for (const a of o.plan.schools)
    if (a.action !== 'close') count(a.id, o.classesByGrade[a.id] ?? {}, a.extra_classes);
  for (const a of o.plan.sites)
    if (a.action === 'build') count(a.id, {}, Math.ceil(a.seats / DEFAULT_CLASS_SIZE[o.stage]));
  return {
    ...out,
    largeShare: out.classes ? out.large / out.classes : 0,
    superLargeShare: out.classes ? out.superLarge / out.classes : 0,
  };
}
