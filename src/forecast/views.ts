/**
 * What the CLI, the API and the workbook show of a run: its balance with area names and flags, one
 * area's series (demand with intervals, seats, deliveries), and the XLSX sheets. Presented from a
 * whitelist, never a stored row.
 */
import { STAGE_GRADES, STAGE_LABELS, STAGE_LABELS_EN, type Stage } from '../domain/stages.ts';
import { type CellValue, type Output, XlsxWriter } from '../io/write/table-writer.ts';
import { type BilingualColumn, columnsIn } from '../server/download.ts';
import type { Lang } from '../server/errors.ts';
import type { AreaFlags, BalanceRow, RunBalance } from './balance.ts';
import type { ForecastRun } from './runs.ts';
import { stageSeats } from './supply.ts';

export function presentRun(run: ForecastRun) {
  return {
    id: run.id,
    name: run.name,
    regionCode: run.regionCode,
    countyCode: run.countyCode,
    areaLevel: run.areaLevel,
    baseYear: run.parameters.baseYear,
    horizon: run.parameters.horizon,
    window: run.parameters.window,
    cutoffMonth: run.parameters.cutoffMonth,
    intervalLevel: run.parameters.intervalLevel ?? null,
    fingerprint: run.fingerprint,
    createdBy: run.createdBy,
    createdAt: run.createdAt,
    excluded: run.parameters.excluded,
    housing: run.parameters.housing ?? null,
  };
}

const areaName = (run: ForecastRun, id: string) => run.parameters.areaNames[id] ?? id;

/** The balance of a run; `filter` narrows the rows (flags always cover every area and stage asked for). */
export function presentBalance(
  b: RunBalance,
  filter: { area?: string; stage?: Stage; year?: number; flaggedOnly?: boolean } = {},
) {
  const keep = (r: { area: string; stage: Stage }) =>
    (!filter.area || r.area === filter.area) && (!filter.stage || r.stage === filter.stage);
  return {
    run: presentRun(b.run),
    supply: { classSize: b.supply.options.classSize, countStatuses: [...b.supply.options.countStatuses] },
    areas: b.run.input.areas.map((a) => ({ id: a.id, name: areaName(b.run, a.id) })),
    rows: b.balance.rows.filter((r) => keep(r) && (filter.year === undefined || r.year === filter.year)),
    flags: b.balance.flags
      .filter((f) => keep(f) && (!filter.flaggedOnly || f.level !== 'none'))
      .map((f) => ({ ...f, name: areaName(b.run, f.area) })),
    unplacedProjects: b.supply.unplaced.map((p) => p.code),
  };
}
export type BalanceView = ReturnType<typeof presentBalance>;

/** One area's demand (observed, projected with intervals) against seats per stage, and its deliveries. */
export function presentSeries(b: RunBalance, area: string) {
  const run = b.run;
  const input = run.input.areas.find((a) => a.id === area)!;
  const projected = run.result.areas[area] ?? {};
  const bounds = run.result.intervals?.[area] ?? {};
  const supply = b.supply.areas.get(area) ?? { grades: {}, projects: [] };
  const base = run.input.baseYear;
  const stages = (Object.keys(STAGE_GRADES) as Stage[]).filter((s) =>
    STAGE_GRADES[s].some((g) => input.enrollment[base]?.[g] !== undefined),
  );
  const years = Object.keys(input.enrollment)
    .map(Number)
    .sort((x, y) => x - y);
  const sum = (row: Partial<Record<string, number>> | undefined, stage: Stage) =>
    row ? STAGE_GRADES[stage].reduce((s, g) => s + (row[g] ?? 0), 0) : null;
  return {
    run: presentRun(run),
    area: { id: area, name: areaName(run, area) },
    stages: stages.map((stage) => {
      const points = [
        ...years.map((year) => ({
          year,
          observed: sum(input.enrollment[year], stage),
          projected: null as number | null,
          low: null as number | null,
          high: null as number | null,
          seats: year === base ? stageSeats(supply, stage, year, b.supply.options).seats : null,
          projectSeats: null as number | null,
        })),
        ...Array.from({ length: run.input.horizon }, (_, i) => {
          const year = base + i + 1;
          const s = stageSeats(supply, stage, year, b.supply.options);
          const band = bounds[year];
          // The engine applies one relative error per horizon to every grade, so a stage's bounds are sums.
          const grades = STAGE_GRADES[stage].filter((g) => band?.[g]);
          return {
            year,
            observed: null,
            projected: sum(projected[year], stage),
            low: grades.length ? grades.reduce((x, g) => x + band![g]![0], 0) : null,
            high: grades.length ? grades.reduce((x, g) => x + band![g]![1], 0) : null,
            seats: s.seats,
            projectSeats: s.projectSeats,
          };
        }),
      ];
      return {
        stage,
        points,
        deliveries: supply.projects
          .filter((p) => p.stage === stage)
          .map((p) => ({
            code: p.code,
            name: p.name,
            deliveryYear: p.deliveryYear,
            seats: p.seats,
            status: p.status,
            counts: p.counts,
          })),
      };
    }),
  };
}
export type SeriesView = ReturnType<typeof presentSeries>;

const stageLabel = (s: Stage, lang: Lang) => (lang === 'zh' ? STAGE_LABELS[s] : STAGE_LABELS_EN[s]);
const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);
const h = (zh: string, en: string) => ({ zh, en });

const FLAG_COLUMNS: BilingualColumn[] = [
  { header: h('区域代码', 'Area code'), text: true },
  { header: h('区域', 'Area'), width: 24 },
  { header: h('学段', 'Stage') },
  { header: h('严重程度', 'Severity') },
  { header: h('等级', 'Level') },
  { header: h('缺口始于', 'Shortfall from') },
  { header: h('当年缺学位', 'Seats short then') },
  { header: h('缺口最大年份', 'Worst year') },
  { header: h('最大缺学位', 'Most seats short') },
  { header: h('大班额风险始于', 'Large classes from') },
  { header: h('最高大班额占比%', 'Worst large-class %') },
  { header: h('持续富余起', 'Surplus from') },
  { header: h('持续富余止', 'Surplus to') },
  { header: h('平均空置率%', 'Mean empty %') },
  { header: h('需求峰值年份', 'Peak year') },
  { header: h('峰值在校生', 'Peak pupils') },
];

const ROW_COLUMNS: BilingualColumn[] = [
  { header: h('区域代码', 'Area code'), text: true },
  { header: h('区域', 'Area'), width: 24 },
  { header: h('学段', 'Stage') },
  { header: h('年份', 'Year') },
  { header: h('实际/预测', 'Observed/projected') },
  { header: h('在校生', 'Pupils') },
  { header: h('学位', 'Seats') },
  { header: h('其中项目新增', 'Of which projects') },
  { header: h('富余(+)/缺口(−)', 'Surplus (+) / shortfall (−)') },
  { header: h('规划班数', 'Planned classes') },
  { header: h('平均班额', 'Average class size') },
  { header: h('超标准班额占比%', 'Over standard size %') },
  { header: h('大班额占比%', 'Large classes %') },
];

const LEVEL_LABELS = {
  high: h('高', 'high'),
  medium: h('中', 'medium'),
  low: h('低', 'low'),
  none: h('无', 'none'),
};

function flagCells(f: AreaFlags & { name: string }, lang: Lang): CellValue[] {
  return [
    f.area,
    f.name,
    stageLabel(f.stage, lang),
    round1(f.severity),
    LEVEL_LABELS[f.level][lang],
    f.shortfall?.firstYear ?? null,
    f.shortfall ? Math.round(f.shortfall.seats) : null,
    f.shortfall?.worstYear ?? null,
    f.shortfall ? Math.round(f.shortfall.worstSeats) : null,
    f.largeClass?.firstYear ?? null,
    f.largeClass ? pct(f.largeClass.worstShare) : null,
    f.surplus?.from ?? null,
    f.surplus?.to ?? null,
    f.surplus ? pct(f.surplus.emptyShare) : null,
    f.peak.year,
    Math.round(f.peak.pupils),
  ];
}

function rowCells(r: BalanceRow, name: string, lang: Lang): CellValue[] {
  return [
    r.area,
    name,
    stageLabel(r.stage, lang),
    r.year,
    r.observed ? (lang === 'zh' ? '实际' : 'observed') : lang === 'zh' ? '预测' : 'projected',
    Math.round(r.pupils),
    r.seats,
    r.projectSeats,
    Math.round(r.gap),
    r.classes,
    round1(r.averageClassSize),
    pct(r.overStandardShare),
    pct(r.largeClassShare),
  ];
}

/** The balance workbook: 预警 (flags, most severe first) and 供需平衡 (every area, stage and year). */
export async function writeBalanceWorkbook(v: BalanceView, out: Output, lang: Lang = 'zh'): Promise<void> {
  const names = new Map(v.areas.map((a) => [a.id, a.name]));
  const book = new XlsxWriter(out);
  const flags = book.table({
    name: lang === 'zh' ? '预警' : 'Flags',
    columns: columnsIn(lang, FLAG_COLUMNS),
  });
  for (const f of v.flags) await flags.add(flagCells(f, lang));
  await flags.close();
  const rows = book.table({
    name: lang === 'zh' ? '供需平衡' : 'Balance',
    columns: columnsIn(lang, ROW_COLUMNS),
  });
  for (const r of v.rows) await rows.add(rowCells(r, names.get(r.area) ?? r.area, lang));
  await rows.close();
  await book.close();
}
