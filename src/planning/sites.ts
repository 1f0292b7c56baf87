/**
 * Candidate sites for new schools (备选校址) from a file: the engine contract's `sites` array as JSON, or an
 * XLSX sheet with one row per capacity option (docs/planning.md "Candidate sites").
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { parseContract } from '../domain/contract.ts';
import { AppError } from '../domain/errors.ts';
import { type ParsedPlanningInput, siteSchema } from '../engines/planning/contract.ts';

type Sites = ParsedPlanningInput['sites'];

/** The sheet's headers → the site's fields; cost in 万元 as the bureau budgets it. */
export const SITE_HEADERS = {
  id: '站点编号',
  lng: '经度',
  lat: '纬度',
  capacity: '学位',
  cost_wan: '造价（万元）',
  boarding: '寄宿',
} as const;

const sitesSchema = z.array(siteSchema);

/** Reads a .json or .xlsx file of candidate sites; a bad row fails naming it. */
export async function readSitesFile(file: string): Promise<Sites> {
  if (!fs.existsSync(file))
    throw new AppError('planning.sites_unreadable', `找不到文件 ${file}`, `no file ${file}`, '--sites');
  if (!file.toLowerCase().endsWith('.xlsx')) {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new AppError(
        'planning.sites_unreadable',
        `无法读取 JSON：${(e as Error).message}`,
        `cannot read the JSON: ${(e as Error).message}`,
        '--sites',
      );
    }
    return parseContract(sitesSchema, json, { code: 'planning.invalid_sites' });
  }
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const sheet = book.worksheets[0];
  if (!sheet)
    throw new AppError(
      'planning.sites_unreadable',
      '工作簿没有工作表',
      'the workbook has no sheet',
      '--sites',
    );
  const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? '').trim());
  const colOf = Object.fromEntries(
    Object.entries(SITE_HEADERS).map(([k, h]) => {
      const i = header.indexOf(h);
      if (i < 0 && k !== 'boarding')
        throw new AppError('planning.sites_header', `缺少列“${h}”`, `the column "${h}" is missing`, h);
      return [k, i];
    }),
  ) as Record<keyof typeof SITE_HEADERS, number>;
  const byId = new Map<
    string,
    { id: string; lng: unknown; lat: unknown; boarding: boolean; options: unknown[] }
  >();
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const cell = (k: keyof typeof SITE_HEADERS) => (colOf[k] < 0 ? null : row.getCell(colOf[k]).value);
    const id = String(cell('id') ?? '').trim();
    if (!id) return;
    const site = byId.get(id) ?? {
      id,
      lng: Number(cell('lng')),
      lat: Number(cell('lat')),
      boarding: ['是', '1', 'true'].includes(String(cell('boarding') ?? '').trim()),
      options: [],
    };
    site.options.push({
      capacity: Number(cell('capacity')),
      cost_fen: Math.round(Number(cell('cost_wan')) * 1_000_000),
    });
    byId.set(id, site);
  });
  return parseContract(sitesSchema, [...byId.values()], { code: 'planning.invalid_sites' });
}
