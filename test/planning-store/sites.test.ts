import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readSitesFile, SITE_HEADERS } from '../../src/planning/sites.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-sites-'));

describe('candidate sites from a file', () => {
  it('reads an XLSX with one row per capacity option, cost in 万元', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('备选校址');
    sheet.addRow(Object.values(SITE_HEADERS));
    sheet.addRow(['A1', 115.6, 34.4, 1080, 6000, '否']);
    sheet.addRow(['A1', 115.6, 34.4, 1620, 8500, '否']);
    sheet.addRow(['B2', 115.7, 34.5, 900, 5000, '是']);
    const file = path.join(dir, 'sites.xlsx');
    await book.xlsx.writeFile(file);
    expect(await readSitesFile(file)).toEqual([
      {
        id: 'A1',
        lng: 115.6,
        lat: 34.4,
        boarding: false,
        options: [
          { capacity: 1080, cost_fen: 6_000_000_000 },
          { capacity: 1620, cost_fen: 8_500_000_000 },
        ],
      },
      {
        id: 'B2',
        lng: 115.7,
        lat: 34.5,
        boarding: true,
        options: [{ capacity: 900, cost_fen: 5_000_000_000 }],
      },
    ]);
  });

  it('reads the contract’s JSON and names the first bad field', async () => {
    const file = path.join(dir, 'sites.json');
    fs.writeFileSync(
      file,
      JSON.stringify([{ id: 'A', lng: 115, lat: 34, options: [{ capacity: 0, cost_fen: 1 }] }]),
    );
    await expect(readSitesFile(file)).rejects.toMatchObject({
      code: 'planning.invalid_sites',
      field: '[0].options[0].capacity',
    });
  });
});
