/**
 * School-level census of one demo county, 2013–2025: the plan's county totals apportioned to schools
 * so that each school's pupils follow their cohort from grade to grade, with transfers, dropouts and
 * graduates that reconcile exactly (pupils(Y, g+1) = pupils(Y−1, g) + transfers in − out − dropouts),
 * and the breakdowns (migrant, disabled, left-behind, boarders, after-school) calibrated to the plan.
 */

import type { CensusCountColumn } from '../domain/census-counts.ts';
import { GRADES, type Grade } from '../domain/stages.ts';
import { type CountyPlan, STREAM_GRADES, STREAMS, type Stream } from './plan.ts';
import { apportion, Rng } from './prng.ts';
import { CURRENT_YEAR, FIRST_YEAR, YEARS } from './profile.ts';
import type { DemoSchool } from './schools.ts';

export type CensusRow = { school: DemoSchool; stream: Stream; year: number; grade: string } & Record<
  CensusCountColumn,
  number
>;

export interface CountyCensus {
  /** Rows by school id, in year then grade order. */
  rows: CensusRow[];
  /** pupils[stream] → per member school: [yearIndex][gradeIndex] */
  members: Record<Stream, DemoSchool[]>;
  pupils: Record<Stream, number[][][]>;
}

const yi = (y: number) => y - FIRST_YEAR;
const CHURN = 0.012;
const MALE_SHARE: Record<Stream, number> = { K: 0.535, P: 0.532, J: 0.53, S: 0.5, V: 0.6, X: 0.62 };

function weightAt(s: DemoSchool, st: Stream, y: number): number {
  if (y < s.openYear) return 0;
  return (s.weights[st] ?? 0) * Math.exp(s.drift * (y - CURRENT_YEAR));
}

export function generateCensus(plan: CountyPlan, schools: DemoSchool[], seed: number): CountyCensus {
  const rng = Rng.for(seed, `census:${plan.profile.code}`);
  const members = {} as Record<Stream, DemoSchool[]>;
  const pupils = {} as Record<Stream, number[][][]>;
  const rows: CensusRow[] = [];
  const byKey = new Map<string, CensusRow>();

  for (const st of STREAMS) {
    const ms = schools.filter((s) => s.weights[st] !== undefined);
    members[st] = ms;
    const sp = plan.streams[st];
    const G = STREAM_GRADES[st].length;
    const P: number[][][] = ms.map(() => YEARS.map(() => new Array<number>(G).fill(0)));
    for (const y of YEARS) {
      const i = yi(y);
      for (let g = 0; g < G; g++) {
        const total = sp.totals[i][g];
        let w: number[];
        if (i === 0 || g === 0) w = ms.map((s) => weightAt(s, st, y));
        else
          w = ms.map((s, m) => {
            const before = weightAt(s, st, y - 1);
            return before > 0 ? P[m][i - 1][g - 1] * (weightAt(s, st, y) / before) : 0;
          });
        if (w.every((x) => x <= 0)) w = ms.map((s) => weightAt(s, st, y));
        const parts = apportion(total, w);
        for (let m = 0; m < ms.length; m++) P[m][i][g] = parts[m];
      }
    }
    pupils[st] = P;

    // Flows of the school year that ended in summer Y, recorded in census row (Y, g).
    for (const y of YEARS) {
      const i = yi(y);
      for (let g = 0; g < G; g++) {
        const exit = g === G - 1;
        const prev = ms.map((_, m) => (i === 0 ? P[m][0][g] : P[m][i - 1][g]));
        const churn = prev.map((p) => Math.floor(p * CHURN * (0.5 + rng.next())));
        let grads = new Array<number>(ms.length).fill(0);
        const ti = churn.slice();
        let to = churn.slice();
        if (exit) {
          grads = apportion(sp.graduates[i], prev, prev);
          if (i > 0) {
            const rem = prev.map((p, m) => p - grads[m]);
            const drop = apportion(Math.min(sp.dropouts[i][g], sum(rem)), rem, rem);
            to = to.map((c, m) => c + rem[m] - drop[m]);
          }
        } else if (i > 0) {
          const drop = apportion(sp.dropouts[i][g], prev, prev);
          for (let m = 0; m < ms.length; m++) {
            const net = P[m][i][g + 1] - prev[m] + drop[m];
            ti[m] = churn[m] + Math.max(0, net);
            to[m] = churn[m] + Math.max(0, -net);
          }
        }
        for (let m = 0; m < ms.length; m++) {
          const s = ms[m];
          const p = P[m][i][g];
          if (y < s.openYear) continue;
          if (p === 0 && grads[m] === 0 && (i === 0 || prev[m] === 0)) continue;
          if (prev[m] === 0) {
            ti[m] = Math.max(0, ti[m] - churn[m]);
            to[m] = Math.max(0, to[m] - churn[m]);
          }
          const male = clampInt(Math.round(p * MALE_SHARE[st] + rng.normal() * Math.sqrt(p * 0.25)), 0, p);
          const row = {
            school: s,
            stream: st,
            year: y,
            grade: STREAM_GRADES[st][g],
            pupils_male: male,
            pupils_female: p - male,
            migrant: 0,
            migrant_purchased: 0,
            disabled_regular_class: 0,
            disabled_special_class: 0,
            disabled_special_school: 0,
            disabled_home_teaching: 0,
            left_behind: 0,
            boarders: 0,
            after_school: 0,
            entrants: g === 0 ? p : 0,
            transfers_in: i === 0 || prev[m] > 0 || ti[m] > 0 ? ti[m] : 0,
            transfers_out: to[m],
            graduates: grads[m],
          } as CensusRow;
          rows.push(row);
          byKey.set(`${s.id}:${y}:${row.grade}`, row);
        }
      }
    }
  }

  calibrateBreakdowns(plan, rows, rng);
  rows.sort(
    (a, b) => a.school.id - b.school.id || a.year - b.year || gradeIndex(a.grade) - gradeIndex(b.grade),
  );
  return { rows, members, pupils };
}

export const gradeIndex = (g: string) => GRADES.indexOf(g as Grade);
export const pupilsOf = (r: CensusRow) => r.pupils_male + r.pupils_female;

function calibrateBreakdowns(plan: CountyPlan, rows: CensusRow[], rng: Rng): void {
  const p = plan.profile;
  const schoolNoise = new Map<number, number>();
  const noiseOf = (s: DemoSchool) => {
    let v = schoolNoise.get(s.id);
    if (v === undefined) {
      v = Math.exp(0.15 * rng.normal());
      schoolNoise.set(s.id, v);
    }
    return v;
  };
  const leftBehindFactor = 1 + 2 * Math.max(0, -p.migration);
  for (const y of YEARS) {
    const i = yi(y);
    const yearRows = rows.filter((r) => r.year === y);
    const comp = yearRows.filter((r) => r.stream === 'P' || r.stream === 'J' || r.stream === 'X');
    const regular = comp.filter((r) => r.stream !== 'X');
    const special = comp.filter((r) => r.stream === 'X');

    // Special schools: every pupil disabled; some taught at home (送教上门).
    const xp = special.map(pupilsOf);
    const home =
      y === CURRENT_YEAR
        ? apportion(plan.disabled.home_teaching, xp, xp)
        : xp.map((n) => Math.round(n * 0.3));
    special.forEach((r, k) => {
      r.disabled_home_teaching = home[k];
      r.disabled_special_school = xp[k] - home[k];
    });

    // Disabled pupils in ordinary schools.
    const rp = regular.map(pupilsOf);
    const reg = apportion(plan.disabledInSchools.regular[i], rp, rp);
    regular.forEach((r, k) => {
      r.disabled_regular_class = reg[k];
    });
    const scRows = regular.filter((r) => r.school.specialClass && r.stream === 'P');
    const scCaps = scRows.map((r) => pupilsOf(r) - r.disabled_regular_class);
    const sc = apportion(plan.disabledInSchools.specialClass[i], scCaps, scCaps);
    scRows.forEach((r, k) => {
      r.disabled_special_class = sc[k];
    });

    // Migrant workers' children (随迁子女) in compulsory grades, and purchased places at private schools.
    const mprop = (s: DemoSchool) => {
      const pr = s.ownership === 'private';
      const base =
        s.locale === 'urban' ? (pr ? 4.0 : 2.2) : s.locale === 'town' ? (pr ? 1.6 : 0.7) : pr ? 0.5 : 0.15;
      return base * noiseOf(s);
    };
    const mig = apportion(
      plan.compulsory.migrant[i],
      regular.map((r) => pupilsOf(r) * mprop(r.school)),
      regular.map((r) => Math.floor(pupilsOf(r) * 0.7)),
    );
    regular.forEach((r, k) => {
      r.migrant = mig[k];
    });
    const priv = regular.filter((r) => r.school.ownership === 'private');
    const privMigrant = priv.map((r) => r.migrant);
    const purchased = Math.max(0, sum(privMigrant) - plan.compulsory.migrantUncovered[i]);
    const pur = apportion(purchased, privMigrant, privMigrant);
    priv.forEach((r, k) => {
      r.migrant_purchased = pur[k];
    });

    // After-school services (课后服务), compulsory grades; home-taught pupils cannot take part.
    const asTotal = plan.compulsory.afterSchool[i];
    if (asTotal > 0) {
      const prop = (s: DemoSchool) =>
        (s.locale === 'urban' ? 1.04 : s.locale === 'town' ? 1.0 : 0.93) *
        (s.ownership === 'private' ? 0.98 : 1) *
        noiseOf(s);
      const caps = comp.map((r) => pupilsOf(r) - r.disabled_home_teaching);
      const as = apportion(
        asTotal,
        comp.map((r, k) => caps[k] * prop(r.school)),
        caps,
      );
      comp.forEach((r, k) => {
        r.after_school = as[k];
      });
    }

    // Kindergarten and senior rows: migrant children without calibration.
    for (const r of yearRows) {
      const n = pupilsOf(r);
      const s = r.school;
      if (r.stream === 'K' || r.stream === 'S' || r.stream === 'V') {
        const base = r.stream === 'K' ? 0.035 : 0.015;
        const loc = s.locale === 'urban' ? 2 : s.locale === 'town' ? 0.7 : 0.2;
        r.migrant = Math.min(n, Math.round(n * base * loc * p.migrantInflow));
      }
      // Left-behind children (留守儿童): many in rural Henan, few in the city.
      const lb0 = s.locale === 'rural' ? 0.3 : s.locale === 'town' ? 0.2 : 0.06;
      const lbStage =
        r.stream === 'K' ? 0.8 : r.stream === 'S' || r.stream === 'V' ? 0.4 : r.stream === 'X' ? 0.5 : 1;
      const lb = lb0 * lbStage * (s.ownership === 'private' ? 0.5 : 1) * leftBehindFactor * noiseOf(s);
      r.left_behind = clampInt(Math.round(n * Math.min(0.6, lb)), 0, n - r.migrant);
      // Boarders (寄宿生).
      r.boarders = clampInt(
        Math.round((n - r.disabled_home_teaching) * boardingShare(r)),
        0,
        n - r.disabled_home_teaching,
      );
    }
  }
}

export function boardingShare(r: { school: DemoSchool; stream: Stream; grade: string }): number {
  const s = r.school;
  if (r.stream === 'K') return 0;
  if (r.stream === 'X') return 0.4;
  if (r.stream === 'S') return s.locale === 'urban' ? 0.6 : 0.85;
  if (r.stream === 'V') return 0.7;
  if (s.ownership === 'private') return 0.45;
  if (r.stream === 'J') return s.locale === 'rural' ? 0.6 : s.locale === 'town' ? 0.45 : 0.08;
  const upper = r.grade === 'G4' || r.grade === 'G5' || r.grade === 'G6';
  if (s.locale === 'rural') return upper ? 0.2 : 0.03;
  if (s.locale === 'town') return upper ? 0.12 : 0.02;
  return 0;
}

function clampInt(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
