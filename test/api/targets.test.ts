import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiWorld,
  buildApiWorld,
  HOME_COUNTY,
  OTHER_COUNTY,
  type Session,
  signInAs,
} from '../support/api.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

describe('indicator targets API', () => {
  let t: TestDatabase;
  let w: ApiWorld;
  let stats: Session;
  let county: Session;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    w = await buildApiWorld(t);
    stats = await signInAs(w.app, 'city_statistics');
    county = await signInAs(w.app, 'county_staff');
  });
  afterAll(async () => {
    await w?.app.close();
    await t?.drop();
  });

  const as = (s: Session, lang = 'zh') => ({
    cookie: s.cookie,
    'x-csrf-token': s.csrf,
    'accept-language': lang,
  });
  const body = (over: Record<string, unknown> = {}) => ({
    region_code: HOME_COUNTY,
    year: 2023,
    indicator_id: 'preschool_ger',
    stage: null,
    comparator: 'at_least',
    threshold: 88,
    ...over,
  });
  const get = (s: Session, region: string, year = 2023) =>
    w.app.inject({ url: `/api/indicators/targets?region=${region}&year=${year}`, headers: as(s) });
  const ger = (r: { json(): { targets: { indicator_id: string }[] } }) =>
    r.json().targets.find((x) => x.indicator_id === 'preschool_ger');

  it('lists the preloaded targets of the county for its own clerk', async () => {
    const r = await get(county, HOME_COUNTY);
    expect(r.statusCode).toBe(200);
    expect(r.json().region).toMatchObject({ code: HOME_COUNTY, level: 'county' });
    expect(ger(r)).toMatchObject({ threshold: 85, origin: 'preloaded', preloaded: { threshold: 85 } });
    expect(r.json().indicators.map((d: { id: string }) => d.id)).toContain('pupil_teacher_ratio');
  });

  it('hides another county from a county clerk (404), and an unknown region from everyone', async () => {
    expect((await get(county, OTHER_COUNTY)).statusCode).toBe(404);
    expect((await get(county, '411400')).statusCode).toBe(404);
    expect((await get(stats, '419999')).statusCode).toBe(404);
    expect((await get(stats, OTHER_COUNTY)).statusCode).toBe(200);
  });

  it('lets the statistics office set and restore a target, not a county clerk', async () => {
    const denied = await w.app.inject({
      method: 'PUT',
      url: '/api/indicators/targets',
      payload: body(),
      headers: as(county),
    });
    expect(denied.statusCode).toBe(403);

    const set = await w.app.inject({
      method: 'PUT',
      url: '/api/indicators/targets',
      payload: body({ note: '市定' }),
      headers: as(stats),
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({
      threshold: 88,
      source: 'bureau',
      origin: 'edited',
      updated_by: 'u_city_statistics',
    });
    expect(ger(await get(county, HOME_COUNTY))).toMatchObject({ threshold: 88, note: '市定' });

    const deniedClear = await w.app.inject({
      method: 'DELETE',
      url: `/api/indicators/targets?region_code=${HOME_COUNTY}&year=2023&indicator_id=preschool_ger`,
      headers: as(county),
    });
    expect(deniedClear.statusCode).toBe(403);
    const clear = await w.app.inject({
      method: 'DELETE',
      url: `/api/indicators/targets?region_code=${HOME_COUNTY}&year=2023&indicator_id=preschool_ger`,
      headers: as(stats),
    });
    expect(clear.statusCode).toBe(204);
    expect(ger(await get(county, HOME_COUNTY))).toMatchObject({ threshold: 85, origin: 'preloaded' });
    const again = await w.app.inject({
      method: 'DELETE',
      url: `/api/indicators/targets?region_code=${HOME_COUNTY}&year=2023&indicator_id=preschool_ger`,
      headers: as(stats),
    });
    expect(again.statusCode).toBe(404);
  });

  it('sets an every-year target with a null year, and restores it with the year left out', async () => {
    const set = await w.app.inject({
      method: 'PUT',
      url: '/api/indicators/targets',
      payload: body({
        year: null,
        indicator_id: 'large_class_share',
        stage: 'junior',
        comparator: 'at_most',
        threshold: 3,
      }),
      headers: as(stats),
    });
    expect(set.statusCode).toBe(200);
    const junior = (await get(county, HOME_COUNTY, 2031))
      .json()
      .targets.find(
        (x: { indicator_id: string; stage: string | null }) =>
          x.indicator_id === 'large_class_share' && x.stage === 'junior',
      );
    expect(junior).toMatchObject({ threshold: 3, year: null, close_margin: 1 });
    const clear = await w.app.inject({
      method: 'DELETE',
      url: `/api/indicators/targets?region_code=${HOME_COUNTY}&indicator_id=large_class_share&stage=junior`,
      headers: as(stats),
    });
    expect(clear.statusCode).toBe(204);
  });

  it('answers 400 naming the field, in the caller’s language, and changes nothing', async () => {
    const put = (over: Record<string, unknown>, lang = 'zh') =>
      w.app.inject({
        method: 'PUT',
        url: '/api/indicators/targets',
        payload: body(over),
        headers: as(stats, lang),
      });
    const high = await put({ threshold: 120 }, 'en');
    expect(high.statusCode).toBe(400);
    expect(high.json()).toMatchObject({ code: 'targets.invalid', field: 'threshold' });
    expect(high.json().message).toMatch(/between 0 and 100/);
    const zh = await put({ threshold: 120 });
    expect(zh.json().message).toMatch(/0 到 100/);
    expect((await put({ indicator_id: 'nope' })).json()).toMatchObject({ field: 'indicator_id' });
    expect((await put({ stage: 'junior' })).json()).toMatchObject({ field: 'stage' });
    expect((await put({ close_margin: -1 })).json()).toMatchObject({ field: 'close_margin' });
    const typo = await put({ comparator: 'more' });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().field).toBe('body.comparator');
    expect(await t.store.db.selectFrom('indicator_targets').selectAll().execute()).toEqual([]);
  });
});
