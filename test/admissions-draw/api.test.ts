import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRound, type Round } from '../../src/admissions/rounds.ts';
import { verifyDraw } from '../../src/engines/admissions/verify.ts';
import { buildApiWorld, type Session, signInAs } from '../support/api.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { buildDrawRound, clerk, PUBLIC_VALUE } from './fixture.ts';

const as = (s: Session) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf });

describe('the draw API', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let round: Round;
  let staff: Session;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    ({ app } = await buildApiWorld(t));
    ({ round } = await buildDrawRound(t));
    round = await closeRound(t.store.db, clerk, round);
    staff = await signInAs(app, 'county_staff');
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  const call = (method: 'GET' | 'POST', tail: string, payload?: Record<string, string>) =>
    app.inject({ method, url: `/api/admissions/rounds/${round.id}${tail}`, headers: as(staff), payload });

  it('freezes, keeps the secret back until the draw, draws and serves a file that verifies', async () => {
    expect((await call('GET', '/draw')).statusCode).toBe(404);
    const frozen = await call('POST', '/freeze');
    expect(frozen.statusCode, frozen.body).toBe(200);
    expect(frozen.json()).toMatchObject({ status: 'frozen', applicants: 7, secret: null, seed: null });
    expect((await call('GET', '/draw')).json()).toEqual(frozen.json());
    const again = await call('POST', '/freeze');
    expect(again.json()).toMatchObject({ code: 'admissions.draw_frozen' });
    expect((await call('GET', '/draw/file')).json()).toMatchObject({ code: 'admissions.draw_not_drawn' });
    const drawn = await call('POST', '/draw', { publicValue: PUBLIC_VALUE });
    expect(drawn.statusCode, drawn.body).toBe(200);
    expect(drawn.json()).toMatchObject({
      status: 'drawn',
      publicValue: PUBLIC_VALUE,
      digest: frozen.json().digest,
    });
    expect(drawn.json().secret).toMatch(/^[0-9a-f]{64}$/);
    const file = await call('GET', '/draw/file');
    expect(verifyDraw(file.json())).toMatchObject({ ok: true });
  });
});
