/**
 * The indicator pages' read models: a region's figures with their definitions and targets, the trend
 * over the years with data, the children of a region for the ranked comparison and the drill-down,
 * the records behind a figure, and each of them as a table for the Excel export.
 */
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/roles.ts';
import { STAGE_LABELS, type Stage } from '../domain/stages.ts';
import { INDICATOR_BY_ID, INDICATORS } from '../engines/indicators/definitions.ts';
import { computeParsedIndicators, type IndicatorResult } from '../engines/indicators/engine.ts';
import { type IndicatorTarget, targetFor, targetStatus } from '../engines/indicators/targets.ts';
import type { CellValue, SheetColumn } from '../io/write/table-writer.ts';
import type { Database } from '../store/schema.ts';
import { indexRows, inputFor, loadIndicatorRows, type ResolvedRegion } from './load.ts';
import { loadIndicatorRecords, presentValue, type RecordSource } from './records.ts';
import {
  computeIndicatorTrend,
  computeRegionIndicators,
  type RegionIndicators,
  yearsWithData,
} from './regions.ts';
import { loadEffectiveTargetsOver, loadTargets } from './targets.ts';

type Db = Kysely<Database>;
type Lang = 'zh' | 'en';

export interface RegionRef {
  code: string;
  name: string;
  level: ResolvedRegion['level'];
  countyCode: string | null;
  schoolId: number | null;
}

export const regionRef = (r: ResolvedRegion | RegionIndicators): RegionRef => ({
  code: r.code,
  name: r.name,
  level: r.level,
  countyCode: r.countyCode,
  schoolId: 'set' in r ? (r.set.kind === 'school' ? r.set.schoolId : null) : r.schoolId,
});

/** Province, city, county and township above a region (GB/T 2260 codes nest by prefix), top first. */
export async function regionPath(db: Db, r: ResolvedRegion): Promise<RegionRef[]> {
  let code = r.code;
  if (r.level === 'school') {
    const s = await db
      .selectFrom('schools')
      .select(['county_code', 'township_code'])
      .where('id', '=', r.set.kind === 'school' ? r.set.schoolId : 0)
      .executeTakeFirstOrThrow();
    code = s.township_code ?? s.county_code;
  }
  const candidates = [`${code.slice(0, 2)}0000`, `${code.slice(0, 4)}00`, code.slice(0, 6), code].filter(
    (c, i, all) => all.indexOf(c) === i && (c !== r.code || r.level === 'school'),
  );
  if (candidates.length === 0) return [];
  const rows = await db
    .selectFrom('regions')
    .select(['code', 'name', 'level'])
    .where('code', 'in', candidates)
    .execute();
  return rows
    .sort((a, b) => candidates.indexOf(a.code) - candidates.indexOf(b.code))
    .map((x) => ({
      code: x.code,
      name: x.name,
      level: x.level,
      countyCode: x.level === 'county' ? x.code : x.level === 'township' ? x.code.slice(0, 6) : null,
      schoolId: null,
    }));
}

export interface Figure extends IndicatorResult {
  target: {
    comparator: IndicatorTarget['comparator'];
    threshold: number;
    closeMargin: number;
    source: string;
  } | null;
  status: ReturnType<typeof targetStatus>;
}

/** Each result with the target that applies to it and its status (met, close, not met). */
export function withTargets(
  results: readonly IndicatorResult[],
  targets: readonly IndicatorTarget[],
): Figure[] {
  return results.map((r) => {
    const t = targetFor(targets, r.id, r.stage);
    return {
      ...r,
      target: t
        ? { comparator: t.comparator, threshold: t.threshold, closeMargin: t.close_margin, source: t.source }
        : null,
      status: t ? targetStatus(r.value, t) : null,
    };
  });
}

const definitionOf = (id: string) => {
  const d = INDICATOR_BY_ID.get(id)!;
  return { ...d, stages: [...d.stages] };
};
export const DEFINITIONS = INDICATORS.map((d) => definitionOf(d.id));

/** The figures of one region and year (default: the latest year with data). */
export async function loadRegionView(db: Db, r: ResolvedRegion, year: number | undefined) {
  const [years, path] = await Promise.all([yearsWithData(db, r.set), regionPath(db, r)]);
  const y = year ?? years[years.length - 1] ?? null;
  if (y === null) return { region: regionRef(r), path, year: null, years, figures: [] };
  const [rows, targets] = await Promise.all([
    loadIndicatorRows(db, r.set, y, y),
    loadTargets(db, [r.code], y),
  ]);
  const results = computeParsedIndicators(inputFor(indexRows(rows), r.set, y));
  return {
    region: regionRef(r),
    path,
    year: y,
    years,
    figures: withTargets(results, targets.get(r.code) ?? []).map((f) => ({
      ...f,
      definition: definitionOf(f.id),
    })),
  };
}

/** Every indicator of a region in each census year with data, each with that year's target. */
export async function loadTrendView(db: Db, r: ResolvedRegion) {
  const trend = await computeIndicatorTrend(db, r);
  const targets = await loadEffectiveTargetsOver(
    db,
    [r.code],
    trend.map((p) => p.year),
  );
  return {
    region: regionRef(r),
    points: trend.map((p) => ({
      year: p.year,
      figures: withTargets(p.results, targets.get(p.year)?.get(r.code) ?? []),
    })),
  };
}

const CHILD_LEVEL = {
  province: 'county',
  city: 'county',
  county: 'township',
  township: 'school',
  school: null,
} as const;

/** The region's figures and those of each region one level down, for the comparison and the drill-down. */
export async function loadChildrenView(db: Db, r: ResolvedRegion, year: number | undefined) {
  const [years, path] = await Promise.all([yearsWithData(db, r.set), regionPath(db, r)]);
  const y = year ?? years[years.length - 1] ?? null;
  const childLevel = CHILD_LEVEL[r.level];
  const base = { region: regionRef(r), path, year: y, years, childLevel, definitions: DEFINITIONS };
  if (y === null) return { ...base, total: [], children: [] };
  const all = await computeRegionIndicators(db, r.code, y, { deepest: childLevel ?? 'school' });
  const targets = await loadTargets(
    db,
    all.map((x) => x.code),
    y,
  );
  const figures = (x: RegionIndicators) => withTargets(x.results, targets.get(x.code) ?? []);
  return {
    ...base,
    total: figures(all[0]),
    children: all.slice(1).map((x) => ({ region: regionRef(x), figures: figures(x) })),
  };
}

/** The records behind one figure, labelled in the reader's language. */
export async function loadRecordsView(
  db: Db,
  r: ResolvedRegion,
  year: number,
  q: { indicator: string; stage: Stage | null; source: RecordSource },
  o: { unmasked: boolean; lang: Lang },
) {
  const table = await loadIndicatorRecords(db, r, year, q.indicator, q.stage, q.source, {
    unmasked: o.unmasked,
  });
  const rows = await loadIndicatorRows(db, r.set, year, year);
  const targets = await loadTargets(db, [r.code], year);
  const figure = withTargets(
    computeParsedIndicators(inputFor(indexRows(rows), r.set, year)),
    targets.get(r.code) ?? [],
  ).find((f) => f.id === q.indicator && f.stage === q.stage)!;
  return {
    region: regionRef(r),
    year,
    indicator: q.indicator,
    stage: q.stage,
    source: q.source,
    kind: table.kind,
    personal: table.personal,
    masked: table.masked,
    figure,
    columns: table.columns.map((c) => ({
      key: c.key,
      label: o.lang === 'zh' ? c.zh : c.en,
      numeric: c.kind === 'number',
    })),
    rows: table.rows.map((row) => row.map((v, i) => presentValue(table.columns[i].kind, v, o.lang))),
    total: table.rows.length,
  };
}

// ── exports: every view as one sheet with Chinese headings ──────────────────────────────────────────

export interface ExportSheet {
  name: string;
  columns: SheetColumn[];
  rows: CellValue[][];
}

const STATUS_ZH = { met: '达标', close: '接近', not_met: '未达标' } as const;
const UNIT_ZH = { percent: '%', ratio: '人/师', count: '个' } as const;
const labelOf = (id: string, stage: string | null) =>
  `${INDICATOR_BY_ID.get(id)!.zh}${stage ? `（${STAGE_LABELS[stage as Stage]}）` : ''}`;
const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
const targetText = (f: Figure) =>
  f.target ? `${f.target.comparator === 'at_least' ? '≥' : '≤'} ${f.target.threshold}` : null;

export function regionSheet(v: Awaited<ReturnType<typeof loadRegionView>>): ExportSheet {
  return {
    name: `${v.region.name}${v.year ?? ''}年指标`,
    columns: [
      { header: '指标', width: 30 },
      { header: '指标代码', text: true },
      { header: '数值' },
      { header: '单位' },
      { header: '分子' },
      { header: '分母' },
      { header: '目标' },
      { header: '状态' },
      { header: '不可用原因', width: 24 },
      { header: '公式', width: 50 },
      { header: '分子口径', width: 40 },
      { header: '分母口径', width: 40 },
      { header: '来源' },
    ],
    rows: v.figures.map((f) => [
      labelOf(f.id, f.stage),
      f.stage ? `${f.id}:${f.stage}` : f.id,
      round(f.value),
      UNIT_ZH[f.unit],
      round(f.numerator),
      round(f.denominator),
      targetText(f),
      f.status ? STATUS_ZH[f.status] : null,
      f.reason?.zh ?? null,
      f.definition.formula,
      f.definition.numerator,
      f.definition.denominator,
      f.definition.source,
    ]),
  };
}

export function trendSheet(v: Awaited<ReturnType<typeof loadTrendView>>): ExportSheet {
  const first = v.points[0]?.figures ?? [];
  return {
    name: `${v.region.name}指标趋势`,
    columns: [{ header: '指标', width: 30 }, ...v.points.map((p) => ({ header: `${p.year}年` }))],
    rows: first.map((f, i) => [labelOf(f.id, f.stage), ...v.points.map((p) => round(p.figures[i].value))]),
  };
}

/** All indicators as columns (values only), or one indicator with its numerator, denominator, target and rank. */
export function childrenSheet(
  v: Awaited<ReturnType<typeof loadChildrenView>>,
  one?: { indicator: string; stage: string | null },
): ExportSheet {
  const name = `${v.region.name}${v.year ?? ''}年下级区划`;
  const regionColumns: SheetColumn[] = [
    { header: '区划或学校', width: 24 },
    { header: '代码', text: true },
  ];
  const all = [
    ...v.children.map((c) => ({ name: c.region.name, code: c.region.code, figures: c.figures })),
    { name: `${v.region.name}（合计）`, code: v.region.code, figures: v.total },
  ];
  if (!one)
    return {
      name,
      columns: [...regionColumns, ...v.total.map((f) => ({ header: labelOf(f.id, f.stage) }))],
      rows: all.map((c) => [c.name, c.code, ...c.figures.map((f) => round(f.value))]),
    };
  const pick = (figures: Figure[]) => figures.find((f) => f.id === one.indicator && f.stage === one.stage);
  return {
    name: `${name.slice(0, 20)}·${INDICATOR_BY_ID.get(one.indicator)?.zh ?? one.indicator}`.slice(0, 31),
    columns: [
      ...regionColumns,
      { header: labelOf(one.indicator, one.stage), width: 30 },
      { header: '分子' },
      { header: '分母' },
      { header: '目标' },
      { header: '状态' },
    ],
    rows: all.map((c) => {
      const f = pick(c.figures);
      return [
        c.name,
        c.code,
        round(f?.value ?? null),
        round(f?.numerator ?? null),
        round(f?.denominator ?? null),
        f ? targetText(f) : null,
        f?.status ? STATUS_ZH[f.status] : null,
      ];
    }),
  };
}

export function recordsSheet(v: Awaited<ReturnType<typeof loadRecordsView>>): ExportSheet {
  return {
    name: `${labelOf(v.indicator, v.stage)}明细`.slice(0, 31),
    columns: v.columns.map((c) => ({ header: c.label, text: !c.numeric, width: c.numeric ? 12 : 20 })),
    rows: v.rows,
  };
}

/** The region a user's indicator pages open on: their school, their region, or the city the schools lie in. */
export async function homeRegionOf(db: Kysely<Database>, user: Principal): Promise<string> {
  if (user.schoolId !== null && user.role === 'school_staff') {
    const s = await db
      .selectFrom('schools')
      .select('code')
      .where('id', '=', user.schoolId)
      .executeTakeFirst();
    if (s) return s.code;
  }
  if (user.regionCode) return user.regionCode;
  const first = await db
    .selectFrom('schools')
    .innerJoin('regions', 'regions.code', 'schools.county_code')
    .select('regions.parent_code')
    .orderBy('schools.id')
    .executeTakeFirst();
  return first?.parent_code ?? '410000';
}
