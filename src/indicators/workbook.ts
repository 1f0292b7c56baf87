/**
 * Indicator figures as Excel cells, shared by `indicators --format xlsx` and the annual report: a
 * percent is a number formatted 0.00% (so 93.16 is stored 0.9316), a ratio 0.0, a count #,##0; a
 * figure that is not available is the reason in words, never 0 or an empty cell.
 */
import type ExcelJS from 'exceljs';
import { STAGE_LABELS, STAGE_LABELS_EN, type Stage } from '../domain/stages.ts';
import { INDICATOR_BY_ID, type IndicatorUnit } from '../engines/indicators/definitions.ts';
import type { IndicatorResult, Reason } from '../engines/indicators/engine.ts';
import { type Output, XlsxWriter } from '../io/write/table-writer.ts';

/** The language of the headings and labels; Chinese is the bureau's. */
export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];

export interface Cell {
  value: string | number | null;
  numFmt?: string;
}

export const stageName = (stage: Stage | null, lang: Lang): string =>
  stage === null ? '' : (lang === 'zh' ? STAGE_LABELS : STAGE_LABELS_EN)[stage];

export const pick = (text: { zh: string; en: string }, lang: Lang): string => text[lang];

const UNIT_NAMES: Record<IndicatorUnit, { zh: string; en: string }> = {
  percent: { zh: '百分比', en: 'percent' },
  ratio: { zh: '比值（人/师）', en: 'ratio (pupils per teacher)' },
  count: { zh: '计数', en: 'count' },
};
export const unitName = (unit: IndicatorUnit, lang: Lang): string => pick(UNIT_NAMES[unit], lang);

export function notAvailable(reason: Reason | null, lang: Lang): string {
  const why = reason ? pick(reason, lang) : lang === 'zh' ? '无数据' : 'no data';
  return lang === 'zh' ? `无法计算：${why}` : `not available: ${why}`;
}

/** A value in its unit's format, or the reason it is missing. */
export function figureCell(
  value: number | null,
  unit: IndicatorUnit,
  reason: Reason | null,
  lang: Lang,
): Cell {
  if (value === null) return { value: notAvailable(reason, lang) };
  if (unit === 'percent') return { value: value / 100, numFmt: '0.00%' };
  return { value, numFmt: unit === 'ratio' ? '0.0' : '#,##0' };
}

/** A numerator or denominator: whole counts, or one decimal where teachers were split among stages. */
export function countCell(n: number | null, reason: Reason | null, lang: Lang): Cell {
  if (n === null) return { value: notAvailable(reason, lang) };
  return { value: n, numFmt: Number.isInteger(n) ? '#,##0' : '#,##0.0' };
}

/** Adds and commits one row of a streamed sheet, with each cell's number format. */
export function addCells(ws: ExcelJS.Worksheet, cells: readonly Cell[], style: Partial<ExcelJS.Style> = {}) {
  const row = ws.addRow(cells.map((c) => c.value));
  cells.forEach((c, i) => {
    const cell = row.getCell(i + 1);
    if (c.numFmt) cell.numFmt = c.numFmt;
    if (style.font) cell.font = style.font;
    if (style.fill) cell.fill = style.fill;
  });
  return row;
}

const SHEET_COLUMNS = [
  { zh: '指标代码', en: 'id', width: 28 },
  { zh: '指标名称', en: 'Indicator', width: 34 },
  { zh: '学段', en: 'Stage', width: 14 },
  { zh: '数值', en: 'Value', width: 14 },
  { zh: '分子', en: 'Numerator', width: 14 },
  { zh: '分母', en: 'Denominator', width: 14 },
  { zh: '单位', en: 'Unit', width: 14 },
  { zh: '说明', en: 'Note', width: 40 },
];

/**
 * `indicators --format xlsx`: the JSON rows on one sheet, with the indicators' names.
 * Rows come in the engine's order, one per result.
 */
export async function writeIndicatorsWorkbook(
  results: readonly IndicatorResult[],
  out: Output,
  lang: Lang,
): Promise<void> {
  const book = new XlsxWriter(out);
  const ws = book.addSheet({
    name: lang === 'zh' ? '统计指标' : 'Indicators',
    columns: SHEET_COLUMNS.map((c) => ({ header: c[lang], width: c.width })),
  });
  for (const r of results) {
    const def = INDICATOR_BY_ID.get(r.id)!;
    addCells(ws, [
      { value: r.id },
      { value: pick(def, lang) },
      { value: stageName(r.stage, lang) },
      figureCell(r.value, r.unit, r.reason, lang),
      countCell(r.numerator, null, lang),
      countCell(r.denominator, r.reason, lang),
      { value: unitName(r.unit, lang) },
      { value: r.reason ? pick(r.reason, lang) : '' },
    ]).commit();
  }
  ws.commit();
  await book.close();
}
