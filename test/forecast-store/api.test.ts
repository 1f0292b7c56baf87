import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BalanceView, RunList, RunView, SeriesView } from '../../src/server/forecast-contracts.ts';
import { appWithUsers, type NamedUser, type NamedUsersApp, seedDemoCity } from '../support/api.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';

const CITY = '411400';
const HOME = '411402';
const OTHER = '411423';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`forecast API on ${dialect}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let call: NamedUsersApp['call'];
    let cityRun: RunView;
    let homeRun: RunView;

    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedDemoCity(t);
      const users: NamedUser[] = [
        ['planner', 'city_planning', CITY],
        ['finance', 'city_finance', CITY],
        ['clerk', 'county_staff', HOME],
        ['other', 'county_staff', OTHER],
      ];
      ({ app, call } = await appWithUsers(t, users));
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await t?.drop();
    });

    it('lets the planning office run the city and a county clerk run their own county only', async () => {
      const city = await call<RunView>('planner', 'POST', '/api/forecast/runs', {
        name: '基准',
        region: CITY,
        horizon: 8,
      });
      expect(city.status, JSON.stringify(city.body)).toBe(201);
      cityRun = city.body;
      expect(cityRun).toMatchObject({
        name: '基准',
        regionCode: CITY,
        areaLevel: 'county',
        baseYear: 2025,
        horizon: 8,
      });
      expect(cityRun.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      const home = await call<RunView>('clerk', 'POST', '/api/forecast/runs', {
        name: '乡镇',
        region: HOME,
        horizon: 5,
      });
      expect(home.status).toBe(201);
      homeRun = home.body;
      expect(homeRun).toMatchObject({ countyCode: HOME, areaLevel: 'township' });
      expect(
        (await call('clerk', 'POST', '/api/forecast/runs', { name: 'x', region: OTHER, horizon: 5 })).status,
      ).toBe(404);
      expect(
        (await call('clerk', 'POST', '/api/forecast/runs', { name: 'x', region: CITY, horizon: 5 })).status,
      ).toBe(404);
      expect(
        (await call('finance', 'POST', '/api/forecast/runs', { name: 'x', region: CITY, horizon: 5 })).status,
      ).toBe(403);
      const again = await call<{ code: string; field: string }>('clerk', 'POST', '/api/forecast/runs', {
        name: '乡镇',
        region: HOME,
        horizon: 5,
      });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'forecast.run_exists', field: 'name' });
    });

    it('lists the runs in each user’s scope and hides another county’s (404)', async () => {
      const names = async (who: string) =>
        (await call<RunList>(who, 'GET', '/api/forecast/runs')).body.runs.map((r) => r.name);
      expect(await names('planner')).toEqual(['乡镇', '基准']);
      expect(await names('finance')).toEqual(['乡镇', '基准']);
      expect(await names('clerk')).toEqual(['乡镇']);
      expect(await names('other')).toEqual([]);
      expect((await call('other', 'GET', `/api/forecast/runs/${homeRun.id}/balance`)).status).toBe(404);
      expect((await call('other', 'GET', `/api/forecast/runs/${homeRun.id}/areas/${HOME}001`)).status).toBe(
        404,
      );
      expect((await call('clerk', 'GET', `/api/forecast/runs/${cityRun.id}`)).status).toBe(404);
      expect((await call('finance', 'GET', `/api/forecast/runs/${cityRun.id}`)).status).toBe(200);
    });

    it('gives the balance with flags by severity, and one year of one stage for the map', async () => {
      const all = await call<BalanceView>('planner', 'GET', `/api/forecast/runs/${cityRun.id}/balance`);
      expect(all.status).toBe(200);
      const v = all.body;
      expect(v.areas.map((a) => a.id)).toEqual([HOME, OTHER]);
      expect(v.rows.length).toBe(v.flags.length * 9);
      const sev = v.flags.map((f) => f.severity);
      expect(sev).toEqual([...sev].sort((a, b) => b - a));
      for (const r of v.rows) expect(r.gap).toBeCloseTo(r.seats - r.pupils, 6);
      const map = await call<BalanceView>(
        'planner',
        'GET',
        `/api/forecast/runs/${cityRun.id}/balance?year=2030&stage=primary&flagged=1`,
      );
      expect(map.body.rows.map((r) => [r.area, r.year, r.stage])).toEqual([
        [HOME, 2030, 'primary'],
        [OTHER, 2030, 'primary'],
      ]);
      for (const f of map.body.flags) expect(f.level).not.toBe('none');
      const bad = await call<{ field: string }>(
        'planner',
        'GET',
        `/api/forecast/runs/${cityRun.id}/balance?count=built`,
      );
      expect(bad.status).toBe(400);
      expect(bad.body.field).toBe('count');
    });

    it('gives an area’s series: observed, projected with intervals, seats, deliveries', async () => {
      await t.store.db
        .insertInto('projects')
        .values({
          code: 'XM-9',
          name: '梁园区新建小学（示例）',
          county_code: HOME,
          region_code: HOME,
          school_id: null,
          stage: 'primary',
          seats: 2700,
          delivery_year: 2029,
          status: 'approved',
          updated_at: new Date().toISOString(),
        })
        .execute();
      const r = await call<SeriesView>('clerk', 'GET', `/api/forecast/runs/${cityRun.id}/areas/${HOME}`);
      expect(r.status).toBe(404);
      const s = await call<SeriesView>('planner', 'GET', `/api/forecast/runs/${cityRun.id}/areas/${HOME}`);
      expect(s.status).toBe(200);
      const primary = s.body.stages.find((x) => x.stage === 'primary')!;
      const observed = primary.points.filter((p) => p.observed !== null);
      const projected = primary.points.filter((p) => p.projected !== null);
      expect(observed.map((p) => p.year)).toEqual(Array.from({ length: 13 }, (_, i) => 2013 + i));
      expect(projected.map((p) => p.year)).toEqual(Array.from({ length: 8 }, (_, i) => 2026 + i));
      // Bounds from the backtest's errors: a biased method can put both on one side of the forecast.
      for (const p of projected.slice(0, 5)) {
        expect(p.low!).toBeLessThanOrEqual(p.high!);
        expect(Math.abs(p.low! / p.projected! - 1)).toBeLessThan(0.2);
        expect(Math.abs(p.high! / p.projected! - 1)).toBeLessThan(0.2);
      }
      const by = (y: number) => primary.points.find((p) => p.year === y && p.projected !== null)!;
      expect(by(2029).seats! - by(2028).seats!).toBe(2700);
      expect(primary.deliveries).toEqual([
        {
          code: 'XM-9',
          name: '梁园区新建小学（示例）',
          deliveryYear: 2029,
          seats: 2700,
          status: 'approved',
          counts: true,
        },
      ]);
      expect((await call('planner', 'GET', `/api/forecast/runs/${cityRun.id}/areas/999999`)).status).toBe(
        404,
      );
    });

    it('deletes a run for those who may run it, in scope', async () => {
      const made = await call<RunView>('clerk', 'POST', '/api/forecast/runs', {
        name: '临时',
        region: HOME,
        horizon: 3,
      });
      expect(made.status).toBe(201);
      const url = `/api/forecast/runs/${made.body.id}`;
      const del = (who: string) => call(who, 'DELETE', url);
      expect((await del('finance')).status).toBe(403);
      expect((await del('other')).status).toBe(404);
      expect((await del('clerk')).status).toBe(204);
      expect((await call('clerk', 'GET', url)).status).toBe(404);
    });

    it('exports the balance to XLSX in Chinese or English, audited', async () => {
      const r = await call('planner', 'GET', `/api/forecast/runs/${cityRun.id}/export`);
      expect(r.status).toBe(200);
      expect(r.raw.headers['content-type']).toContain('spreadsheetml');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(r.raw.rawPayload as unknown as ArrayBuffer);
      expect(book.worksheets.map((w) => w.name)).toEqual(['预警', '供需平衡']);
      const en = await call('planner', 'GET', `/api/forecast/runs/${cityRun.id}/export?lang=en`);
      const b2 = new ExcelJS.Workbook();
      await b2.xlsx.load(en.raw.rawPayload as unknown as ArrayBuffer);
      expect(b2.worksheets.map((w) => w.name)).toEqual(['Flags', 'Balance']);
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'export.forecast_balance')
        .execute();
      expect(audit).toHaveLength(2);
    });
  });
}
