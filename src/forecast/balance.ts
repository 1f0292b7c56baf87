/**
 * 学位供需平衡: projected pupils against seats per area × stage × year, the class sizes the pupils
 * would make in the planned classes, and the flags a planner acts on — a shortfall ahead, a risk of
 * large classes (大班额), a sustained surplus (a candidate to merge or repurpose), the year demand
 * peaks — with a severity to sort by. `computeBalance` is pure over plain data; `loadRunBalance`
 * feeds it a saved run and the store's supply.
 */
import type { Kysely } from 'kysely';
import { GRADES, type Grade, STAGE_GRADES, STAGES, type Stage, stageOfGrade } from '../domain/stages.ts';
import type { YearGrades } from '../engines/forecast/contract.ts';
import type { Database } from '../store/schema.ts';
import { type AreaSet, loadAreaSet, resolveForecastRegion } from './areas.ts';
import type { ForecastRun } from './runs.ts';
import {
  type AreaSupply,
  loadSupply,
  type StageSeats,
  type Supply,
  type SupplyOptions,
  stageSeats,
} from './supply.ts';

export interface BalanceOptions {
  /** 大班额: a class of more than this many pupils (56 and more, the national band). */
  largeClassSize: number;
  /** Large-class risk once more than this share of a stage's classes would be large (national target: ≤ 5 %). */
  largeClassLimit: number;
  /** Sustained surplus: at least `surplusYears` consecutive years with at least this share of seats empty. */
  surplusShare: number;
  surplusYears: number;
}

export const DEFAULT_BALANCE_OPTIONS: BalanceOptions = {
  largeClassSize: 55,
  largeClassLimit: 0.05,
  surplusShare: 0.2,
  surplusYears: 3,
};

export interface BalanceRow {
  area: string;
  stage: Stage;
  year: number;
  /** The base year's observed pupils, or the projection. */
  observed: boolean;
  pupils: number;
  seats: number;
  /** Of the seats, those the pipeline adds by this year. */
  projectSeats: number;
  /** seats − pupils: positive a surplus, negative a shortfall. */
  gap: number;
  classes: number;
  /** Pupils ÷ planned classes; null without classes. */
  averageClassSize: number | null;
  /** Share of the planned classes over the standard size (45 primary, 50 junior and senior; by class type in kindergarten). */
  overStandardShare: number | null;
  /** Share of the planned classes over `largeClassSize` (大班额). */
  largeClassShare: number | null;
}

export interface AreaFlags {
  area: string;
  stage: Stage;
  /** 0–100+: the worst of the shortfall (% of seats), the large-class share (%) and half the surplus (% empty). */
  severity: number;
  level: 'high' | 'medium' | 'low' | 'none';
  shortfall: { firstYear: number; seats: number; worstYear: number; worstSeats: number } | null;
  largeClass: { firstYear: number; share: number; worstShare: number } | null;
  surplus: { from: number; to: number; emptyShare: number; emptySeats: number } | null;
  peak: { year: number; pupils: number };
}

export interface BalanceInput {
  baseYear: number;
  horizon: number;
  /** Area → year → grade → pupils: the base year observed and the projected years. */
  demand: Record<string, YearGrades>;
  supply: ReadonlyMap<string, AreaSupply>;
  supplyOptions: SupplyOptions;
}

export interface BalanceResult {
  rows: BalanceRow[];
  /** Flagged and unflagged area × stage pairs, most severe first. */
  flags: AreaFlags[];
}

interface ClassShares {
  classes: number;
  over: number;
  large: number;
}

/**
 * Pupils spread as evenly as possible over the planned classes of their grade (the best the schools
 * could do): with P pupils in C classes, P mod C classes hold ⌈P/C⌉ and the rest ⌊P/C⌋. So the
 * shares are a lower bound — real classes are less even.
 */
export function classShares(pupils: number, classes: number, standard: number, large: number): ClassShares {
  if (classes <= 0) return { classes: 0, over: 0, large: 0 };
  const p = Math.round(pupils);
  const q = Math.floor(p / classes);
  const r = p - q * classes;
  const count = (limit: number) => (q > limit ? classes : q === limit ? r : 0);
  return { classes, over: count(standard), large: count(large) };
}

function stageRow(
  area: string,
  stage: Stage,
  year: number,
  observed: boolean,
  grades: Partial<Record<Grade, number>>,
  seats: StageSeats,
  input: BalanceInput,
  o: BalanceOptions,
): BalanceRow {
  let pupils = 0;
  const total: ClassShares = { classes: 0, over: 0, large: 0 };
  for (const g of STAGE_GRADES[stage]) {
    const p = grades[g] ?? 0;
    pupils += p;
    const s = classShares(p, seats.classes[g] ?? 0, input.supplyOptions.standardSizes[g], o.largeClassSize);
    total.classes += s.classes;
    total.over += s.over;
    total.large += s.large;
  }
  const c = total.classes;
  return {
    area,
    stage,
    year,
    observed,
    pupils,
    seats: seats.seats,
    projectSeats: seats.projectSeats,
    gap: seats.seats - pupils,
    classes: c,
    averageClassSize: c > 0 ? pupils / c : null,
    overStandardShare: c > 0 ? total.over / c : null,
    largeClassShare: c > 0 ? total.large / c : null,
  };
}

/** The flags of one area × stage from its rows in year order (the first is the base year). */
export function flagStage(rows: readonly BalanceRow[], o: BalanceOptions): AreaFlags {
  const ahead = rows.filter((r) => !r.observed);
  const short = ahead.filter((r) => r.gap < 0);
  const worst = short.reduce<BalanceRow | null>((w, r) => (!w || r.gap < w.gap ? r : w), null);
  const shortfall =
    short.length > 0
      ? { firstYear: short[0]!.year, seats: -short[0]!.gap, worstYear: worst!.year, worstSeats: -worst!.gap }
      : null;
  const large = ahead.filter((r) => (r.largeClassShare ?? 0) > o.largeClassLimit);
  const largeClass =
    large.length > 0
      ? {
          firstYear: large[0]!.year,
          share: large[0]!.largeClassShare!,
          worstShare: Math.max(...large.map((r) => r.largeClassShare!)),
        }
      : null;
  // The longest run of consecutive projected years with at least `surplusShare` of the seats empty.
  let best: BalanceRow[] = [];
  let run: BalanceRow[] = [];
  for (const r of ahead) {
    run = r.seats > 0 && r.gap / r.seats >= o.surplusShare ? [...run, r] : [];
    if (run.length > best.length) best = run;
  }
  const surplus =
    best.length >= o.surplusYears
      ? {
          from: best[0]!.year,
          to: best[best.length - 1]!.year,
          emptyShare: best.reduce((s, r) => s + r.gap / r.seats, 0) / best.length,
          emptySeats: Math.max(...best.map((r) => r.gap)),
        }
      : null;
  const peakRow = rows.reduce((p, r) => (r.pupils > p.pupils ? r : p), rows[0]!);
  const shortPct = worst ? (worst.seats > 0 ? (100 * -worst.gap) / worst.seats : 100) : 0;
  const largePct = largeClass ? 100 * largeClass.worstShare : 0;
  // An empty seat costs money; a missing one leaves a child without a place: surpluses weigh half.
  const surplusPct = surplus ? 50 * surplus.emptyShare : 0;
  const severity = Math.max(shortPct, largePct, surplusPct);
  return {
    area: rows[0]!.area,
    stage: rows[0]!.stage,
    severity,
    level: severity >= 20 ? 'high' : severity >= 5 ? 'medium' : severity > 0 ? 'low' : 'none',
    shortfall,
    largeClass,
    surplus,
    peak: { year: peakRow.year, pupils: peakRow.pupils },
  };
}

/**
 * The balance of every area and stage with projected pupils, for the base year and each projected
 * year. An area whose primary grades project 950 pupils a year against 20 classes of 45 (900 seats)
 * gets gap −50, average class size 47.5, every class over 45, and a shortfall flag from the first year.
 */
export function computeBalance(
  input: BalanceInput,
  o: BalanceOptions = DEFAULT_BALANCE_OPTIONS,
): BalanceResult {
  const rows: BalanceRow[] = [];
  const flags: AreaFlags[] = [];
  const empty: AreaSupply = { grades: {}, projects: [] };
  for (const area of Object.keys(input.demand).sort()) {
    const demand = input.demand[area]!;
    const supply = input.supply.get(area) ?? empty;
    const base = demand[input.baseYear] ?? {};
    const stages = STAGES.filter((s) => GRADES.some((g) => stageOfGrade(g) === s && base[g] !== undefined));
    for (const stage of stages) {
      const stageRows: BalanceRow[] = [];
      for (let y = input.baseYear; y <= input.baseYear + input.horizon; y++)
        stageRows.push(
          stageRow(
            area,
            stage,
            y,
            y === input.baseYear,
            demand[y] ?? {},
            stageSeats(supply, stage, y, input.supplyOptions),
            input,
            o,
          ),
        );
      rows.push(...stageRows);
      flags.push(flagStage(stageRows, o));
    }
  }
  flags.sort(
    (a, b) =>
      b.severity - a.severity ||
      a.area.localeCompare(b.area) ||
      STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage),
  );
  return { rows, flags };
}

/** The demand of a run: the base year as observed (the input's enrollment) and the projected years. */
export function demandOfRun(run: Pick<ForecastRun, 'input' | 'result'>): Record<string, YearGrades> {
  const base = run.input.baseYear;
  const out: Record<string, YearGrades> = {};
  for (const a of run.input.areas)
    out[a.id] = { [base]: a.enrollment[base] ?? {}, ...(run.result.areas[a.id] ?? {}) };
  return out;
}

export interface RunBalance {
  run: ForecastRun;
  set: AreaSet;
  supply: Supply;
  balance: BalanceResult;
}

/**
 * A saved run's demand against today's supply: capacity and projects are read now, so a new project
 * shows without forecasting again (the run's fingerprint covers the demand side only).
 */
export async function loadRunBalance(
  db: Kysely<Database>,
  run: ForecastRun,
  options: { supply?: SupplyOptions; balance?: BalanceOptions } = {},
): Promise<RunBalance> {
  const region = await resolveForecastRegion(db, run.regionCode);
  const set = await loadAreaSet(db, region, run.areaLevel);
  const supply = await loadSupply(db, set, options.supply);
  const balance = computeBalance(
    {
      baseYear: run.input.baseYear,
      horizon: run.input.horizon,
      demand: demandOfRun(run),
      supply: supply.areas,
      supplyOptions: supply.options,
    },
    options.balance,
  );
  return { run, set, supply, balance };
}
