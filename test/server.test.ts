import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import { seedRegions } from '../src/store/regions.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';

describe('status server', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    await seedRegions(t.store.db);
    const now = new Date().toISOString();
    await t.store.db
      .insertInto('schools')
      .values({
        code: '4114020001',
        name: '测试小学',
        county_code: '411402',
        school_type: 'primary',
        ownership: 'public',
        locale: 'urban',
        updated_at: now,
      })
      .execute();
  });
  afterAll(async () => t?.drop());

  it('answers the health check and shows the registry in Chinese', async () => {
    const app = await buildApp(t.store, { logger: false, webDir: '/nonexistent' });
    expect((await app.inject('/api/health')).json()).toEqual({ status: 'ok' });
    const page = await app.inject('/');
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('学校 1 所');
    expect(page.body).toContain('小学');
    const status = (await app.inject('/api/status')).json();
    expect(status.schoolsByType).toEqual([{ school_type: 'primary', ownership: 'public', n: 1 }]);
    expect(status.demo).toBeNull();
    await app.close();
  });
});
