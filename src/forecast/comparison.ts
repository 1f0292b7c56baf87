/**
 * Scenario comparison (方案对比): the balances of several saved runs side by side, per area, stage
 * and year — pupils, seats and gap of each run — and the workbook of it. Runs are joined by area id,
 * so runs of the same region with other windows, base years or horizons line up.
 */
import { STAGE_LABELS, STAGE_LABELS_EN, STAGES, type Stage } from '../domain/stages.ts';
import { type CellValue, type Output, XlsxWriter } from '../io/write/table-writer.ts';
import { type BilingualColumn, columnsIn } from '../server/download.ts';
import type { Lang } from '../server/errors.ts';
import type { CompareView } from '../server/forecast-web-contracts.ts';
import type { BalanceView } from './views.ts';

export interface CompareFilter {
  area?: string;
  stage?: Stage;
  year?: number;
}

/** The runs' rows joined by area × stage × year, in area, stage and year order; a run without the row gets null. */
export function compareBalances(views: readonly BalanceView[], filter: CompareFilter = {}): CompareView {
  const areas = new Map<string, string>();
  for (const v of views) for (const a of v.areas) if (!areas.has(a.id)) areas.set(a.id, a.name);
  const rows = new Map<string, CompareView['rows'][number]>();
  views.forEach((v, i) => {
    for (const r of v.rows) {
      if (filter.area && r.area !== filter.area) continue;
      if (filter.stage && r.stage !== filter.stage) continue;
      if (filter.year !== undefined && r.year !== filter.year) continue;
      const key = `${r.area}|${r.stage}|${r.year}`;
      let row = rows.get(key);
      if (!row) {
        row = { area: r.area, stage: r.stage, year: r.year, cells: views.map(() => null) };
        rows.set(key, row);
      }
      row.cells[i] = { observed: r.observed, pupils: r.pupils, seats: r.seats, gap: r.gap };
    }
  });
  const stageOrder = (s: Stage) => STAGES.indexOf(s);
  return {
    runs: views.map((v) => v.run),
    areas: [...areas].map(([id, name]) => ({ id, name })),
    rows: [...rows.values()].sort(
      (a, b) => a.area.localeCompare(b.area) || stageOrder(a.stage) - stageOrder(b.stage) || a.year - b.year,
    ),
  };
}

const h = (zh: string, en: string) => ({ zh, en });

/** One sheet: area, stage, year, then pupils, seats and surplus (+) / shortfall (−) of each run. */
export async function writeComparisonWorkbook(c: CompareView, out: Output, lang: Lang = 'zh'): Promise<void> {
  const names = new Map(c.areas.map((a) => [a.id, a.name]));
  const columns: BilingualColumn[] = [
    { header: h('区域代码', 'Area code'), text: true },
    { header: h('区域', 'Area'), width: 24 },
    { header: h('学段', 'Stage') },
    { header: h('年份', 'Year') },
    ...c.runs.flatMap((r) => {
      const n = r.name ?? String(r.id);
      return [
        { header: h(`${n}：在校生`, `${n}: pupils`), width: 16 },
        { header: h(`${n}：学位`, `${n}: seats`), width: 16 },
        { header: h(`${n}：富余(+)/缺口(−)`, `${n}: surplus (+) / shortfall (−)`), width: 20 },
      ];
    }),
  ];
  const book = new XlsxWriter(out);
  const sheet = book.table({
    name: lang === 'zh' ? '方案对比' : 'Comparison',
    columns: columnsIn(lang, columns),
  });
  for (const r of c.rows) {
    const cells: CellValue[] = [
      r.area,
      names.get(r.area) ?? r.area,
      lang === 'zh' ? STAGE_LABELS[r.stage] : STAGE_LABELS_EN[r.stage],
      r.year,
      ...r.cells.flatMap((x) =>
        x ? [Math.round(x.pupils), x.seats, Math.round(x.gap)] : [null, null, null],
      ),
    ];
    await sheet.add(cells);
  }
  await sheet.close();
  await book.close();
}
