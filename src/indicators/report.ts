/**
 * The annual statistical report 年报: a workbook a bureau can hand in, for a region (a city with its
 * counties, a county with its townships) and a year Y. One sheet per indicator group, each row one
 * region's figure with numerator, denominator, target and status, and the change from Y−1; a cover
 * and a definitions sheet. Every figure is the engine's for that region — the total row is the
 * region's own computation, never a sum or average of its parts' rates.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../domain/errors.ts';
import type { Stage } from '../domain/stages.ts';
import {
  INDICATOR_BY_ID,
  INDICATOR_GROUPS,
  type IndicatorDefinition,
  type IndicatorGroup,
} from '../engines/indicators/definitions.ts';
import type { IndicatorResult } from '../engines/indicators/engine.ts';
import {
  type IndicatorTarget,
  type TargetStatus,
  targetFor,
  targetStatus,
} from '../engines/indicators/targets.ts';
import { type Output, XlsxWriter } from '../io/write/table-writer.ts';
import type { Database } from '../store/schema.ts';
import { type DemoInfo, getDemoInfo } from '../store/settings.ts';
import { resolveRegion } from './load.ts';
import { computeRegions, type RegionIndicators, readRegions, yearsWithData } from './regions.ts';
import { loadTargets } from './targets.ts';
import {
  addCells,
  type Cell,
  countCell,
  figureCell,
  type Lang,
  pick,
  stageName,
  unitName,
} from './workbook.ts';

export interface ReportRegion {
  code: string;
  name: string;
}

export interface RegionFigures {
  current: IndicatorResult[];
  previous: IndicatorResult[];
  targets: readonly IndicatorTarget[];
}

export interface AnnualReport {
  region: ReportRegion & { level: string };
  year: number;
  /** The rows above the total: the counties of a city, the townships of a county, in code order. */
  parts: ReportRegion[];
  /** By region code, for every part and for the region itself. */
  figures: Map<string, RegionFigures>;
  demo: DemoInfo | null;
}

/**
 * Loads the figures of a region and its parts for Y and Y−1 (one read of the store each), and the
 * targets of year Y. `field` names the region option in an error (`--region`, `region`).
 */
export async function loadAnnualReport(
  db: Kysely<Database>,
  code: string,
  year: number,
  field = '--region',
): Promise<AnnualReport> {
  const region = await resolveRegion(db, code, field);
  const years = await yearsWithData(db, region.set);
  if (!years.includes(year))
    throw new AppError(
      'report.no_data',
      `${region.name}没有 ${year} 年的基础统计${years.length ? `（有数据的年份：${years[0]}–${years[years.length - 1]}）` : ''}`,
      `${region.name} has no census for ${year}${years.length ? ` (years with data: ${years[0]}–${years[years.length - 1]})` : ''}`,
      field.startsWith('--') ? '--year' : 'year',
    );
  // A city's rows are its counties, a county's its townships.
  const deepest = region.level === 'county' ? 'township' : 'county';
  // One read covers the year and the one before (the change column).
  const read = await readRegions(db, code, year, { deepest, field, from: year - 1 });
  const [current, previous] = [year, year - 1].map((y) => computeRegions(read, y));
  const top = current[0];
  const parts = current.filter((r) => r.parentCode === top.code).map((r) => ({ code: r.code, name: r.name }));
  if (parts.length === 0)
    throw new AppError(
      'report.no_parts',
      `${top.name}没有下级区划：年报按市（列各县区）或县（列各乡镇）编制`,
      `${top.name} has no sub-regions: the report is made for a city (its counties) or a county (its townships)`,
      field,
    );
  const codes = [...parts.map((p) => p.code), top.code];
  const targets = await loadTargets(db, codes, year);
  const resultsOf = (rows: RegionIndicators[], c: string) => rows.find((r) => r.code === c)!.results;
  const figures = new Map<string, RegionFigures>(
    codes.map((c) => [
      c,
      {
        current: resultsOf(current, c),
        previous: resultsOf(previous, c),
        targets: targets.get(c) ?? [],
      },
    ]),
  );
  return {
    region: { code: top.code, name: top.name, level: top.level },
    year,
    parts,
    figures,
    demo: await getDemoInfo(db),
  };
}

export interface ReportRow {
  definition: IndicatorDefinition;
  stage: Stage | null;
  region: ReportRegion;
  /** The region's own total row (the last of each indicator). */
  total: boolean;
  current: IndicatorResult;
  previous: IndicatorResult;
  target: IndicatorTarget | undefined;
  /** null without a target or without a value. */
  status: TargetStatus | null;
  /** Value Y minus value Y−1 (percentage points for a percent); null when either is missing. */
  change: number | null;
}

const find = (results: readonly IndicatorResult[], id: string, stage: Stage | null) =>
  results.find((r) => r.id === id && r.stage === stage)!;

/** A group sheet's rows: for each indicator (and stage) in the group, the parts then the total. */
export function reportRows(report: AnnualReport, group: IndicatorGroup): ReportRow[] {
  const rows: ReportRow[] = [];
  const regions = [...report.parts.map((r) => ({ r, total: false })), { r: report.region, total: true }];
  for (const id of group.indicators) {
    const definition = INDICATOR_BY_ID.get(id)!;
    const stages = definition.stages.length ? definition.stages : [null];
    for (const stage of stages)
      for (const { r, total } of regions) {
        const f = report.figures.get(r.code)!;
        const current = find(f.current, id, stage);
        const previous = find(f.previous, id, stage);
        const target = targetFor(f.targets, id, stage);
        rows.push({
          definition,
          stage,
          region: { code: r.code, name: r.name },
          total,
          current,
          previous,
          target,
          status: target ? targetStatus(current.value, target) : null,
          change: current.value === null || previous.value === null ? null : current.value - previous.value,
        });
      }
  }
  return rows;
}

const T = {
  zh: {
    title: (name: string, y: number) => `${name}${y}年基础教育统计指标年报`,
    cover: '封面',
    definitions: '指标说明',
    item: '项目',
    content: '内容',
    region: '区划',
    year: '统计年度',
    yearText: (y: number) => `${y} 年（基础统计 ${y} 年秋季）；上年对比 ${y - 1} 年`,
    generated: '生成时间',
    generatedText: (t: string) => `${t}（北京时间）`,
    source: '数据来源',
    sourceText:
      'EduAtlas 数据库：基础统计、班级、专任教师、分年龄人口、残疾儿童登记；口径见 docs/indicators.md',
    data: '数据性质',
    demo: (d: DemoInfo) =>
      `演示数据：合成的演示城市（规模 ${d.scale}，种子 ${d.seed}），非真实数据，不得作为统计上报`,
    real: '本局录入或导入的数据',
    rows: '表内各行',
    rowsText: (n: number, name: string) =>
      `${n} 个下级区划，最后一行为${name}合计（按全区数据计算，非各行比率之和）`,
    status: '达标情况',
    statusText: '达标；接近（未达标，但在接近范围内）；未达标。未设目标的指标不判断',
    missing: '无法计算',
    missingText: '分母为零或缺少数据时写明原因，不填 0',
    sheets: '工作表',
    indicator: '指标',
    stage: '学段',
    code: '区划代码',
    value: '数值',
    numerator: '分子',
    denominator: '分母',
    target: '目标',
    targetSource: '目标依据',
    previous: (y: number) => `${y} 年数值`,
    change: (percent: boolean) => (percent ? '比上年增减（百分点）' : '比上年增减'),
    total: (name: string) => `${name}（合计）`,
    met: '达标',
    close: '接近',
    not_met: '未达标',
    noTarget: '未设目标',
    unassessable: '无法判断',
    noChange: '无法比较：本年或上年无数值',
    group: '分组',
    id: '指标代码',
    unit: '单位',
    formula: '计算公式',
    sourceTag: '依据等级',
    comma: '、',
  },
  en: {
    title: (name: string, y: number) => `Basic-education indicators ${y}: annual report of ${name}`,
    cover: 'Cover',
    definitions: 'Definitions',
    item: 'Item',
    content: 'Content',
    region: 'Region',
    year: 'Year',
    yearText: (y: number) => `${y} (census of autumn ${y}); change against ${y - 1}`,
    generated: 'Generated',
    generatedText: (t: string) => `${t} (Asia/Shanghai)`,
    source: 'Data source',
    sourceText:
      'EduAtlas database: census, classes, full-time teachers, population by age, disabled-children register; conventions in docs/indicators.md',
    data: 'Data',
    demo: (d: DemoInfo) =>
      `Demo data: a synthetic city (scale ${d.scale}, seed ${d.seed}), not real; not for official reporting`,
    real: "The bureau's own data, entered or imported",
    rows: 'Rows',
    rowsText: (n: number, name: string) =>
      `${n} sub-regions, then the total of ${name} (computed over the whole region, not a sum of the rows' rates)`,
    status: 'Status',
    statusText: 'met; close (not met but within the close margin); not met. No status without a target',
    missing: 'Not available',
    missingText: 'A zero denominator or missing data is stated with its reason, never written as 0',
    sheets: 'Sheets',
    indicator: 'Indicator',
    stage: 'Stage',
    code: 'Region code',
    value: 'Value',
    numerator: 'Numerator',
    denominator: 'Denominator',
    target: 'Target',
    targetSource: 'Target source',
    previous: (y: number) => `Value ${y}`,
    change: (percent: boolean) => (percent ? 'Change (points)' : 'Change'),
    total: (name: string) => `${name} (total)`,
    met: 'met',
    close: 'close',
    not_met: 'not met',
    noTarget: 'no target',
    unassessable: 'not assessable',
    noChange: 'not comparable: no value this year or last',
    group: 'Group',
    id: 'id',
    unit: 'Unit',
    formula: 'Formula',
    sourceTag: 'Source',
    comma: ', ',
  },
};

const STATUS_FILL: Record<TargetStatus, string> = {
  met: 'FFC6EFCE',
  close: 'FFFFEB9C',
  not_met: 'FFFFC7CE',
};

/** A group sheet prints on A4 landscape, one page wide, the header row on every page. */
const PRINT = {
  paperSize: 9,
  orientation: 'landscape',
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
  printTitlesRow: '1:1',
} as const;

/** 2026-12-01 18:58 in Asia/Shanghai (UTC+8 all year). */
const shanghaiTime = (now: Date) =>
  new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

const targetText = (t: IndicatorTarget, unit: string) =>
  `${t.comparator === 'at_least' ? '≥' : '≤'} ${t.threshold}${unit === 'percent' ? '%' : ''}`;

function groupCells(row: ReportRow, lang: Lang): Cell[] {
  const t = T[lang];
  const { current: cur, previous: prev, definition: def } = row;
  const status = !row.target ? t.noTarget : row.status === null ? t.unassessable : t[row.status];
  const changeFmt = def.unit === 'percent' ? '+0.00;-0.00;0.00' : '+0.0;-0.0;0.0';
  return [
    { value: pick(def, lang) },
    { value: stageName(row.stage, lang) },
    { value: row.region.code },
    { value: row.total ? t.total(row.region.name) : row.region.name },
    figureCell(cur.value, cur.unit, cur.reason, lang),
    countCell(cur.numerator, null, lang),
    countCell(cur.denominator, cur.reason, lang),
    { value: row.target ? targetText(row.target, def.unit) : '' },
    { value: status },
    { value: row.target?.source ?? '' },
    figureCell(prev.value, prev.unit, prev.reason, lang),
    row.change === null ? { value: t.noChange } : { value: row.change, numFmt: changeFmt },
  ];
}

export interface WriteReportOptions {
  lang: Lang;
  /** The moment written on the cover; now by default. */
  now?: Date;
}

/** Writes the workbook: cover, one sheet per group, definitions. */
export async function writeAnnualReport(
  report: AnnualReport,
  out: Output,
  { lang, now = new Date() }: WriteReportOptions,
): Promise<void> {
  const t = T[lang];
  const book = new XlsxWriter(out);
  const { region, year } = report;

  const cover = book.addSheet({
    name: t.cover,
    columns: [
      { header: t.item, width: 16 },
      { header: t.content, width: 90 },
    ],
  });
  const coverRows: [string, string][] = [
    [t.region, lang === 'zh' ? `${region.name}（${region.code}）` : `${region.name} (${region.code})`],
    [t.year, t.yearText(year)],
    [t.generated, t.generatedText(shanghaiTime(now))],
    [t.source, t.sourceText],
    [t.data, report.demo ? t.demo(report.demo) : t.real],
    [t.rows, t.rowsText(report.parts.length, region.name)],
    [t.status, t.statusText],
    [t.missing, t.missingText],
    [t.sheets, [...INDICATOR_GROUPS.map((g) => pick(g, lang)), t.definitions].join(t.comma)],
  ];
  addCells(cover, [{ value: t.title(region.name, year) }, { value: '' }], {
    font: { bold: true, size: 14 },
  }).commit();
  for (const [k, v] of coverRows)
    addCells(
      cover,
      [{ value: k }, { value: v }],
      report.demo && k === t.data ? { font: { bold: true, color: { argb: 'FFC00000' } } } : {},
    ).commit();
  cover.commit();

  for (const group of INDICATOR_GROUPS) {
    const percent = INDICATOR_BY_ID.get(group.indicators[0])!.unit === 'percent';
    const ws = book.addSheet({
      name: pick(group, lang),
      pageSetup: PRINT,
      columns: [
        { header: t.indicator, width: 34 },
        { header: t.stage, width: 12 },
        { header: t.code, width: 12, text: true },
        { header: t.region, width: 20 },
        { header: t.value, width: 14 },
        { header: t.numerator, width: 12 },
        { header: t.denominator, width: 14 },
        { header: t.target, width: 10 },
        { header: t.status, width: 12 },
        { header: t.targetSource, width: 40 },
        { header: t.previous(year - 1), width: 14 },
        { header: t.change(percent), width: 16 },
      ],
    });
    for (const row of reportRows(report, group)) {
      const cells = groupCells(row, lang);
      const r = addCells(ws, cells, row.total ? { font: { bold: true } } : {});
      if (row.status)
        r.getCell(9).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: STATUS_FILL[row.status] } };
      r.commit();
    }
    ws.commit();
  }

  const defs = book.addSheet({
    name: t.definitions,
    columns: [
      { header: t.group, width: 18 },
      { header: t.id, width: 28 },
      { header: t.indicator, width: 34 },
      { header: t.stage, width: 24 },
      { header: t.unit, width: 14 },
      { header: t.formula, width: 60 },
      { header: t.numerator, width: 50 },
      { header: t.denominator, width: 50 },
      { header: t.sourceTag, width: 18 },
    ],
  });
  for (const group of INDICATOR_GROUPS)
    for (const id of group.indicators) {
      const d = INDICATOR_BY_ID.get(id)!;
      addCells(defs, [
        { value: pick(group, lang) },
        { value: d.id },
        { value: pick(d, lang) },
        { value: d.stages.map((s) => stageName(s, lang)).join(t.comma) },
        { value: unitName(d.unit, lang) },
        { value: d.formula },
        { value: d.numerator },
        { value: d.denominator },
        { value: d.source },
      ]).commit();
    }
  defs.commit();
  await book.close();
}

/** The download's file name: 商丘市2023年统计指标年报.xlsx, annual-report-411400-2023.xlsx. */
export const reportFileName = (report: AnnualReport, lang: Lang) =>
  lang === 'zh'
    ? `${report.region.name}${report.year}年统计指标年报.xlsx`
    : `annual-report-${report.region.code}-${report.year}.xlsx`;
