/**
 * County-level plan of the demo city: births, population by single age, and enrolment totals per
 * stream, year and grade, calibrated so that the 2023 indicators of the chosen counties add up to the
 * seed's figures. Pure: the same seed and scale give the same plan. School-level detail (census rows)
 * is apportioned from these totals, so the aggregates hold exactly at every scale.
 */

import { Rng } from './prng.ts';
import {
  COUNTIES,
  type CountyProfile,
  CURRENT_YEAR,
  cityBirths,
  cityTrajectory,
  type DemoScale,
  FIRST_MODEL_YEAR,
  FIRST_YEAR,
  type Indicator,
  MAX_POPULATION_AGE,
  SCALES,
  YEARS,
} from './profile.ts';

/** Streams of pupils that move through grades together, each taught by a set of school types. */
export const STREAMS = ['K', 'P', 'J', 'S', 'V', 'X'] as const;
export type Stream = (typeof STREAMS)[number];
export const STREAM_GRADES: Record<Stream, readonly string[]> = {
  K: ['K1', 'K2', 'K3'],
  P: ['G1', 'G2', 'G3', 'G4', 'G5', 'G6'],
  J: ['G7', 'G8', 'G9'],
  S: ['G10', 'G11', 'G12'],
  V: ['G10', 'G11', 'G12'],
  X: ['G1', 'G2', 'G3', 'G4', 'G5', 'G6', 'G7', 'G8', 'G9'],
};

/** Per stream: totals[yearIndex][gradeIndex], graduates[yearIndex] of the exit grade (school year ended in summer Y). */
export interface StreamPlan {
  totals: number[][];
  graduates: number[];
  /** Of those who left the stream between autumn Y−1 and autumn Y (or did not graduate), the dropouts. */
  dropouts: number[][];
}

export interface CountyPlan {
  profile: CountyProfile;
  factor: number;
  /** births by calendar year FIRST_MODEL_YEAR..CURRENT_YEAR */
  births: Map<number, number>;
  /** population[yearIndex][age], ages 0..MAX_POPULATION_AGE */
  population: number[][];
  streams: Record<Stream, StreamPlan>;
  /** Per census year: compulsory pupils (G1–G9, all schools), after-school, migrant, migrant not in public/purchased places. */
  compulsory: { pupils: number[]; afterSchool: number[]; migrant: number[]; migrantUncovered: number[] };
  /** The 2025 register of school-age disabled children by placement. */
  disabled: {
    regular_class: number;
    special_class: number;
    special_school: number;
    home_teaching: number;
    not_enrolled: number;
  };
  /** Disabled pupils in ordinary schools per census year (regular class, special class). */
  disabledInSchools: { regular: number[]; specialClass: number[] };
}

export interface CityPlan {
  scale: DemoScale;
  seed: number;
  counties: CountyPlan[];
}

const yi = (y: number) => y - FIRST_YEAR;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Net child migration profile: most of it before school age, little during compulsory school, more after 14. */
function migrationFactor(c: CountyProfile, age: number): number {
  const h = Math.min(age, 6) / 6 + (0.2 * clamp(age - 6, 0, 8)) / 8 + (1.2 * clamp(age - 14, 0, 8)) / 8;
  return Math.exp(c.migration * h);
}

/** Loss of a grade-1 cohort over compulsory school, shared out over its nine steps (the last is graduation). */
const RETENTION_LOSS_SHARE = [0.05, 0.05, 0.05, 0.06, 0.07, 0.22, 0.22, 0.2, 0.08];
/** Fraction of a cohort's net loss that is dropping out; the rest is moving away (net transfers out). */
const DROPOUT_SHARE = 0.3;
const SENIOR_PROGRESSION = [0.985, 0.99];
const TARGET_YEAR = 2023;
const SENIOR_GRADUATION = 0.985;
const PRIMARY_GRADUATION = 0.998;
const KINDERGARTEN_LEAVING = 0.99;
/** School-age disabled children per child aged 6–14, and their placements in 2025. */
const DISABLED_PREVALENCE = 0.0058;
const DISABLED_PLACEMENT = {
  regular_class: 0.52,
  special_class: 0.05,
  special_school: 0.28,
  home_teaching: 0.12,
};

export function planCity(scale: DemoScale, seed: number): CityPlan {
  const sc = SCALES[scale];
  const profiles = sc.counties.map((code) => COUNTIES.find((c) => c.code === code)!);
  const base = profiles.map((p) => basePlan(p, sc.factor, seed));

  // Offsets around the city trajectory, normalised with the right weights so the aggregate is exact.
  const offsetRate = (ind: Indicator, year: number, weights: number[]) => {
    let wsum = 0;
    let osum = 0;
    profiles.forEach((p, i) => {
      wsum += weights[i];
      osum += weights[i] * p.offsets[ind];
    });
    const mean = wsum > 0 ? osum / wsum : 0;
    return profiles.map((p) => cityTrajectory(ind, year) + p.offsets[ind] - mean);
  };

  const counties: CountyPlan[] = base.map((b) => ({
    profile: b.profile,
    factor: sc.factor,
    births: b.births,
    population: b.population,
    streams: {} as Record<Stream, StreamPlan>,
    compulsory: { pupils: [], afterSchool: [], migrant: [], migrantUncovered: [] },
    disabled: { regular_class: 0, special_class: 0, special_school: 0, home_teaching: 0, not_enrolled: 0 },
    disabledInSchools: { regular: [], specialClass: [] },
  }));

  // Kindergarten: gross enrolment of the 3–5 population.
  for (const [i, cp] of counties.entries()) {
    cp.streams.K = { totals: [], graduates: [], dropouts: [] };
    void i;
  }
  for (const y of YEARS) {
    const pops = base.map((b) => popSum(b.popFloat, y, 3, 5));
    const rates = offsetRate('kindergarten', y, pops);
    counties.forEach((cp, i) => {
      const b = base[i];
      const w = [0.93 * b.popFloat(y, 3), 1.0 * b.popFloat(y, 4), 1.04 * b.popFloat(y, 5)];
      const total = rates[i] * pops[i];
      const ws = w[0] + w[1] + w[2];
      const grades = w.map((x) => (total * x) / ws);
      cp.streams.K.totals.push(roundKeepSum(grades));
      const prevK3 = y === FIRST_YEAR ? (total * w[2]) / ws : cp.streams.K.totals[yi(y) - 1][2];
      cp.streams.K.graduates.push(Math.round(prevK3 * KINDERGARTEN_LEAVING));
      cp.streams.K.dropouts.push([0, 0, 0]);
    });
  }

  // Compulsory: grade-1 intake from births, each cohort keeps its calibrated retention.
  const cohortYears: number[] = [];
  for (let t = FIRST_YEAR - 9; t <= CURRENT_YEAR; t++) cohortYears.push(t);
  const intake = base.map((b) => new Map(cohortYears.map((t) => [t, b.intake(t)])));
  const retention = new Map<number, number[]>();
  for (const t of cohortYears) {
    retention.set(
      t,
      offsetRate(
        'retention',
        t,
        intake.map((m) => m.get(t)!),
      ),
    );
  }
  counties.forEach((cp, i) => {
    // float cohort table: value[t][k] = pupils of cohort t in grade k+1 (in year t+k); k = 9 → graduates
    const cohort = (t: number, k: number): number => {
      const r = retention.get(t)![i];
      const lambda = -Math.log(r);
      let v = intake[i].get(t)!;
      for (let j = 0; j < k; j++) v *= Math.exp(-lambda * RETENTION_LOSS_SHARE[j]);
      return v;
    };
    const P: StreamPlan = { totals: [], graduates: [], dropouts: [] };
    const J: StreamPlan = { totals: [], graduates: [], dropouts: [] };
    for (const y of YEARS) {
      const g9 = Array.from({ length: 9 }, (_, k) => cohort(y - k, k));
      const ints = g9.map((v) => Math.round(v));
      P.totals.push(ints.slice(0, 6));
      J.totals.push(ints.slice(6, 9));
      // Graduates of summer y: primary (cohort y−6 leaving grade 6), junior (cohort y−9, step 9).
      P.graduates.push(Math.round(cohort(y - 6, 5) * PRIMARY_GRADUATION));
      J.graduates.push(Math.round(cohort(y - 9, 9)));
      // Dropouts per grade during the school year that ended in summer y.
      const dp = (k: number) => Math.round(DROPOUT_SHARE * (cohort(y - 1 - k, k) - cohort(y - 1 - k, k + 1)));
      P.dropouts.push([0, 1, 2, 3, 4, 5].map((k) => (k === 5 ? 0 : dp(k))));
      J.dropouts.push([6, 7, 8].map((k) => dp(k)));
    }
    cp.streams.P = P;
    cp.streams.J = J;
  });

  // Senior secondary: the G10 intake follows the 15-year-olds smoothly; in the target year it is
  // scaled (once, for all counties alike) so that the gross enrolment of 15–17 meets the target.
  const seniorFloat = counties.map(() => new Map<number, number[]>());
  const steady = 3 / (1 + SENIOR_PROGRESSION[0] + SENIOR_PROGRESSION[0] * SENIOR_PROGRESSION[1]);
  for (let y = FIRST_YEAR - 5; y <= CURRENT_YEAR; y++) {
    const pops = base.map((b) => popSum(b.popFloat, y, 15, 17));
    const rates = offsetRate('senior', y, pops);
    const rows = counties.map((_, i) => {
      const prev = seniorFloat[i].get(y - 1);
      const g10 = rates[i] * steady * base[i].popFloat(y, 15);
      if (!prev)
        return [g10, g10 * SENIOR_PROGRESSION[0], g10 * SENIOR_PROGRESSION[0] * SENIOR_PROGRESSION[1]];
      return [g10, prev[0] * SENIOR_PROGRESSION[0], prev[1] * SENIOR_PROGRESSION[1]];
    });
    if (y === TARGET_YEAR) {
      const want = cityTrajectory('senior', y) * sum(pops);
      const older = sum(rows.map((r) => r[1] + r[2]));
      const kappa = (want - older) / sum(rows.map((r) => r[0]));
      for (const r of rows) r[0] *= kappa;
    }
    rows.forEach((r, i) => {
      seniorFloat[i].set(y, r);
    });
  }
  counties.forEach((cp, i) => {
    const v = cp.profile.vocational;
    const S: StreamPlan = { totals: [], graduates: [], dropouts: [] };
    const V: StreamPlan = { totals: [], graduates: [], dropouts: [] };
    for (const y of YEARS) {
      const g = roundKeepSum(seniorFloat[i].get(y)!);
      const vs = g.map((x) => Math.round(x * v));
      V.totals.push(vs);
      S.totals.push(g.map((x, k) => x - vs[k]));
      const prev = seniorFloat[i].get(y - 1)!;
      const grads = prev[2] * SENIOR_GRADUATION;
      const vg = Math.round(grads * v);
      V.graduates.push(vg);
      S.graduates.push(Math.round(grads) - vg);
      const drop = (k: number) =>
        (k === 2 ? prev[2] * (1 - SENIOR_GRADUATION) : prev[k] * (1 - SENIOR_PROGRESSION[k])) * 0.5;
      V.dropouts.push([0, 1, 2].map((k) => Math.round(drop(k) * v)));
      S.dropouts.push([0, 1, 2].map((k) => Math.round(drop(k) * (1 - v))));
    }
    cp.streams.S = S;
    cp.streams.V = V;
  });

  // Disabled children (2025 register) and special schools.
  counties.forEach((cp, i) => {
    const school_age = popSum(base[i].popFloat, CURRENT_YEAR, 6, 14);
    const n = Math.max(6, Math.round(school_age * DISABLED_PREVALENCE));
    const parts = roundKeepSum([
      n * DISABLED_PLACEMENT.regular_class,
      n * DISABLED_PLACEMENT.special_class,
      n * DISABLED_PLACEMENT.special_school,
      n * DISABLED_PLACEMENT.home_teaching,
      n *
        (1 -
          DISABLED_PLACEMENT.regular_class -
          DISABLED_PLACEMENT.special_class -
          DISABLED_PLACEMENT.special_school -
          DISABLED_PLACEMENT.home_teaching),
    ]);
    cp.disabled = {
      regular_class: parts[0],
      special_class: parts[1],
      special_school: parts[2],
      home_teaching: parts[3],
      not_enrolled: parts[4],
    };
    const rng = Rng.for(seed, `plan:special:${cp.profile.code}`);
    const X: StreamPlan = { totals: [], graduates: [], dropouts: [] };
    for (const y of YEARS) {
      const growth = 0.55 + (0.45 * (y - FIRST_YEAR)) / (CURRENT_YEAR - FIRST_YEAR);
      const total = y === CURRENT_YEAR ? parts[2] + parts[3] : Math.round((parts[2] + parts[3]) * growth);
      const w = Array.from({ length: 9 }, () => 0.8 + 0.4 * rng.next());
      X.totals.push(apportionInt(total, w));
      X.graduates.push(0);
      X.dropouts.push(new Array(9).fill(0));
      cp.disabledInSchools.regular.push(y === CURRENT_YEAR ? parts[0] : Math.round(parts[0] * growth));
      cp.disabledInSchools.specialClass.push(y === CURRENT_YEAR ? parts[1] : Math.round(parts[1] * growth));
    }
    // Special-school graduates: about two thirds of the grade-9 pupils of the year before (others stay on).
    for (const y of YEARS)
      X.graduates[yi(y)] = Math.round(0.65 * (y === FIRST_YEAR ? X.totals[0][8] : X.totals[yi(y) - 1][8]));
    cp.streams.X = X;
  });

  // Compulsory totals per year, with the after-school and migrant targets they must meet.
  for (const y of YEARS) {
    const pupils = counties.map((cp) => {
      let s = 0;
      for (const st of ['P', 'J', 'X'] as const) for (const v of cp.streams[st].totals[yi(y)]) s += v;
      return s;
    });
    const asRates = offsetRate('afterSchool', y, pupils);
    const migrant = counties.map((cp, i) => {
      const trend = 0.7 + (0.4 * (y - FIRST_YEAR)) / (CURRENT_YEAR - FIRST_YEAR);
      const regular = pupils[i] - sum(cp.streams.X.totals[yi(y)]);
      return Math.round(regular * 0.055 * cp.profile.migrantInflow * trend);
    });
    const mpRates = offsetRate('migrantPublic', y, migrant);
    counties.forEach((cp, i) => {
      cp.compulsory.pupils.push(pupils[i]);
      cp.compulsory.afterSchool.push(Math.round(pupils[i] * clamp(asRates[i], 0, 1)));
      cp.compulsory.migrant.push(migrant[i]);
      cp.compulsory.migrantUncovered.push(Math.round(migrant[i] * (1 - clamp(mpRates[i], 0, 1))));
    });
  }

  return { scale, seed, counties };
}

interface BasePlan {
  profile: CountyProfile;
  births: Map<number, number>;
  popFloat: (year: number, age: number) => number;
  population: number[][];
  intake: (t: number) => number;
}

function basePlan(p: CountyProfile, factor: number, seed: number): BasePlan {
  const rng = Rng.for(seed, `plan:births:${p.code}`);
  const births = new Map<number, number>();
  for (let y = FIRST_MODEL_YEAR; y <= CURRENT_YEAR; y++) {
    // Urban districts' births fall a little faster after the 2016 peak.
    const urbanDecline = y > 2016 ? 1 - 0.03 * (p.urban - 0.5) * (y - 2016) : 1;
    const noise = 1 + 0.025 * rng.normal();
    births.set(y, Math.round(cityBirths(y) * p.share * factor * urbanDecline * noise));
  }
  const popFloat = (year: number, age: number) => {
    const b = births.get(year - age);
    if (b === undefined) throw new Error(`no births for ${year - age}`);
    return b * 0.995 * migrationFactor(p, age);
  };
  const population = YEARS.map((y) =>
    Array.from({ length: MAX_POPULATION_AGE + 1 }, (_, a) => Math.round(popFloat(y, a))),
  );
  // Gross grade-1 intake: children born September t−7 to August t−6 living here, plus migrants' children.
  const grossIntake = 0.985 + 0.02 * (p.migrantInflow - 1);
  const intake = (t: number) =>
    grossIntake * migrationFactor(p, 6) * 0.995 * ((8 * births.get(t - 6)! + 4 * births.get(t - 7)!) / 12);
  return { profile: p, births, popFloat, population, intake };
}

function popSum(pop: (y: number, a: number) => number, y: number, a0: number, a1: number): number {
  let s = 0;
  for (let a = a0; a <= a1; a++) s += pop(y, a);
  return s;
}

export function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/** Rounds each value so the rounded values add up to the rounded total. */
export function roundKeepSum(xs: readonly number[]): number[] {
  return apportionInt(Math.round(sum(xs)), xs);
}

function apportionInt(total: number, w: readonly number[]): number[] {
  const s = sum(w);
  const exact = w.map((x) => (s > 0 ? (total * x) / s : 0));
  const out = exact.map(Math.floor);
  let left = total - sum(out);
  const order = exact.map((x, i) => [x - Math.floor(x), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0 && order.length > 0; k = (k + 1) % order.length, left--) out[order[k][1]]++;
  return out;
}

/** The plan's own 2023 indicators, straight from its totals (a check on the calibration). */
export function planIndicators(plan: CityPlan, year = 2023) {
  let k = 0,
    pop35 = 0,
    sen = 0,
    pop1517 = 0,
    grads = 0,
    intake = 0,
    as = 0,
    comp = 0,
    mig = 0,
    unc = 0;
  for (const cp of plan.counties) {
    const i = yi(year);
    k += sum(cp.streams.K.totals[i]);
    pop35 += cp.population[i][3] + cp.population[i][4] + cp.population[i][5];
    sen += sum(cp.streams.S.totals[i]) + sum(cp.streams.V.totals[i]);
    pop1517 += cp.population[i][15] + cp.population[i][16] + cp.population[i][17];
    grads += cp.streams.J.graduates[i];
    intake += cp.streams.P.totals[yi(year - 9)][0];
    as += cp.compulsory.afterSchool[i];
    comp += cp.compulsory.pupils[i];
    mig += cp.compulsory.migrant[i];
    unc += cp.compulsory.migrantUncovered[i];
  }
  return {
    kindergarten: k / pop35,
    retention: grads / intake,
    senior: sen / pop1517,
    afterSchool: as / comp,
    migrantPublic: (mig - unc) / mig,
  };
}
