import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schematicCells } from '../../src/registry/map.ts';
import type { BalanceView, RunView } from '../../src/server/forecast-contracts.ts';
import type { CompareView, OutlinesView } from '../../src/server/forecast-web-contracts.ts';
import { appWithUsers, type NamedUser, type NamedUsersApp, seedDemoCity } from '../support/api.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';

const CITY = '411400';
const HOME = '411402';
const OTHER = '411423';

describe('schematic cells', () => {
  it('cuts a square between two centres into two halves', () => {
    const frame: [number, number][] = [
      [0, 0],
      [4, 0],
      [4, 2],
      [0, 2],
      [0, 0],
    ];
    const cells = schematicCells(
      [
        { id: 'a', points: [[1, 1]] },
        {
          id: 'b',
          points: [
            [3, 0.5],
            [3, 1.5],
          ],
        },
        { id: 'none', points: [] },
      ],
      frame,
    );
    expect([...cells.keys()]).toEqual(['a', 'b']);
    const xs = (id: string) => cells.get(id)!.map((p) => p[0]);
    // The centres are (1, 1) and (3, 1): the cells meet at x = 2.
    expect(Math.max(...xs('a'))).toBeCloseTo(2, 9);
    expect(Math.min(...xs('b'))).toBeCloseTo(2, 9);
    expect(cells.get('a')![0]).toEqual(cells.get('a')!.at(-1));
  });
});

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`forecast pages' API on ${dialect}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let call: NamedUsersApp['call'];
    let cityRun: RunView;
    let windowRun: RunView;
    let townRun: RunView;

    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedDemoCity(t);
      const users: NamedUser[] = [
        ['planner', 'city_planning', CITY],
        ['clerk', 'county_staff', HOME],
        ['other', 'county_staff', OTHER],
      ];
      ({ app, call } = await appWithUsers(t, users));
      const make = async (who: string, body: object) => {
        const r = await call<RunView>(who, 'POST', '/api/forecast/runs', body);
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        return r.body;
      };
      cityRun = await make('planner', { name: '基准', region: CITY, horizon: 6 });
      windowRun = await make('planner', { name: '窗口1', region: CITY, horizon: 4, window: 1 });
      townRun = await make('clerk', { name: '乡镇', region: HOME, horizon: 4 });
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await t?.drop();
    });

    it('outlines every area of a run, schematic without imported outlines, and hides another county’s', async () => {
      const r = await call<OutlinesView>('clerk', 'GET', `/api/forecast/runs/${townRun.id}/outlines`);
      expect(r.status).toBe(200);
      const balance = await call<BalanceView>(
        'clerk',
        'GET',
        `/api/forecast/runs/${townRun.id}/balance?year=2026`,
      );
      expect(r.body.schematic).toBe(true);
      expect(r.body.geojson.features.map((f) => f.properties.code).sort()).toEqual(
        balance.body.areas.map((a) => a.id).sort(),
      );
      for (const f of r.body.geojson.features) {
        const ring = f.geometry.coordinates as number[][][];
        expect(ring[0]!.length).toBeGreaterThanOrEqual(4);
        expect(ring[0]![0]).toEqual(ring[0]!.at(-1));
      }
      expect((await call('other', 'GET', `/api/forecast/runs/${townRun.id}/outlines`)).status).toBe(404);
      expect((await call('clerk', 'GET', `/api/forecast/runs/${cityRun.id}/outlines`)).status).toBe(404);
    });

    it('uses the bureau’s outlines once a feature names every area', async () => {
      const square = (x: number) => ({
        type: 'Polygon',
        coordinates: [
          [
            [x, 34],
            [x + 0.5, 34],
            [x + 0.5, 34.5],
            [x, 34],
          ],
        ],
      });
      await t.store.db
        .insertInto('map_outlines')
        .values({
          region_code: CITY,
          name: '商丘市县界',
          geojson: JSON.stringify({
            type: 'FeatureCollection',
            features: [
              { type: 'Feature', properties: { adcode: 411402, name: '梁园区' }, geometry: square(115) },
              { type: 'Feature', properties: { name: '宁陵县' }, geometry: square(115.5) },
            ],
          }),
          uploaded_at: new Date().toISOString(),
          uploaded_by: 'test',
        })
        .execute();
      const r = await call<OutlinesView>('planner', 'GET', `/api/forecast/runs/${cityRun.id}/outlines`);
      expect(r.body.schematic).toBe(false);
      expect(r.body.geojson.features.map((f) => [f.properties.code, f.geometry])).toEqual([
        [HOME, square(115)],
        [OTHER, square(115.5)],
      ]);
      // The county outlines name no township: the township run stays schematic.
      const town = await call<OutlinesView>('clerk', 'GET', `/api/forecast/runs/${townRun.id}/outlines`);
      expect(town.body.schematic).toBe(true);
    });

    it('sets two runs side by side per area, stage and year', async () => {
      const r = await call<CompareView>(
        'planner',
        'GET',
        `/api/forecast/compare?runs=${cityRun.id},${windowRun.id}&area=${HOME}&stage=primary`,
      );
      expect(r.status).toBe(200);
      const c = r.body;
      expect(c.runs.map((x) => x.name)).toEqual(['基准', '窗口1']);
      expect(c.rows.map((x) => x.year)).toEqual([2025, 2026, 2027, 2028, 2029, 2030, 2031]);
      const base = await call<BalanceView>(
        'planner',
        'GET',
        `/api/forecast/runs/${cityRun.id}/balance?area=${HOME}&stage=primary`,
      );
      for (const [i, row] of c.rows.entries()) {
        const b = base.body.rows[i]!;
        expect(row.cells[0]).toEqual({ observed: b.observed, pupils: b.pupils, seats: b.seats, gap: b.gap });
      }
      // The shorter run has no 2030 or 2031; the observed base year is the same in both.
      expect(c.rows.at(-1)!.cells[1]).toBeNull();
      expect(c.rows[0]!.cells[1]).toEqual(c.rows[0]!.cells[0]);
      expect(
        (await call('clerk', 'GET', `/api/forecast/compare?runs=${townRun.id},${cityRun.id}`)).status,
      ).toBe(404);
      const bad = await call<{ field: string }>('planner', 'GET', '/api/forecast/compare?runs=1;2');
      expect(bad.status).toBe(400);
    });

    it('exports the comparison in Chinese or English, audited', async () => {
      const url = `/api/forecast/compare/export?runs=${cityRun.id},${windowRun.id}&stage=junior`;
      const r = await call('planner', 'GET', url);
      expect(r.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(r.raw.rawPayload as unknown as ArrayBuffer);
      const sheet = book.worksheets[0]!;
      expect(sheet.name).toBe('方案对比');
      expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
        '区域代码',
        '区域',
        '学段',
        '年份',
        '基准：在校生',
        '基准：学位',
        '基准：富余(+)/缺口(−)',
        '窗口1：在校生',
        '窗口1：学位',
        '窗口1：富余(+)/缺口(−)',
      ]);
      // Two counties × the base year and six years ahead.
      expect(sheet.rowCount).toBe(1 + 2 * 7);
      const en = await call('planner', 'GET', `${url}&lang=en`);
      const b2 = new ExcelJS.Workbook();
      await b2.xlsx.load(en.raw.rawPayload as unknown as ArrayBuffer);
      expect(b2.worksheets[0]!.name).toBe('Comparison');
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'export.forecast_comparison')
        .execute();
      expect(audit).toHaveLength(2);
    });
  });
}
