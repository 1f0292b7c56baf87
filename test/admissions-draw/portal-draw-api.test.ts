import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRound, type Round } from '../../src/admissions/rounds.ts';
import { buildApiWorld, type Session, signInAs } from '../support/api.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import { buildDrawRound, clerk, PUBLIC_VALUE } from './fixture.ts';

const as = (s: Session) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf });

async function signIn(app: FastifyInstance, username: string, password: string): Promise<Session> {
  const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (r.statusCode !== 200) throw new Error(`sign-in of ${username}: ${r.body}`);
  return { cookie: String(r.headers['set-cookie']).split(';')[0], csrf: r.json().csrfToken };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`the family's view of the draw on ${dialect}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let round: Round;
    let staff: Session;
    let family: Session;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      ({ app } = await buildApiWorld(t));
      ({ round } = await buildDrawRound(t));
      round = await closeRound(t.store.db, clerk, round);
      staff = await signInAs(app, 'county_staff');
      family = await signIn(app, '13800000009', 'parent2026pw');
    });
    afterAll(async () => {
      await app?.close();
      await t?.drop();
    });

    const roundView = async () => {
      const r = await app.inject({
        method: 'GET',
        url: `/api/admissions/my/rounds/${round.id}`,
        headers: as(family),
      });
      expect(r.statusCode, r.body).toBe(200);
      return r.json().draw;
    };
    const office = (method: 'GET' | 'POST', tail: string, payload?: Record<string, string>) =>
      app.inject({ method, url: `/api/admissions/rounds/${round.id}${tail}`, headers: as(staff), payload });

    it('shows nothing before the freeze, the digest, commitment and freeze time after it, the secret only after the draw', async () => {
      expect(await roundView()).toBeNull();
      const frozen = (await office('POST', '/freeze')).json();
      const before = await roundView();
      expect(before).toEqual({
        status: 'frozen',
        applicants: 7,
        digest: frozen.digest,
        commitment: frozen.commitment,
        frozenAt: frozen.frozenAt,
        secret: null,
        publicValue: null,
        seed: null,
        drawnAt: null,
        publishedAt: null,
      });
      expect(before.digest).toMatch(/^[0-9a-f]{64}$/);
      const drawn = (await office('POST', '/draw', { publicValue: PUBLIC_VALUE })).json();
      const after = await roundView();
      expect(after).toMatchObject({
        status: 'drawn',
        digest: frozen.digest,
        commitment: frozen.commitment,
        secret: drawn.secret,
        publicValue: PUBLIC_VALUE,
        seed: drawn.seed,
        publishedAt: null,
      });
      // What the card tells the family to check holds: SHA-256(secret) is the commitment, and the seed
      // is SHA-256(secret:publicValue).
      expect(createHash('sha256').update(after.secret).digest('hex')).toBe(after.commitment);
      expect(createHash('sha256').update(`${after.secret}:${PUBLIC_VALUE}`).digest('hex')).toBe(after.seed);
      expect((await office('POST', '/publish')).statusCode).toBe(200);
      expect((await roundView()).publishedAt).toEqual(expect.any(String));
    });
  });
}
