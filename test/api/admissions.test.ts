import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdmissionsWorld,
  buildApplication,
  buildRules,
  childId,
  JPEG,
  seedAdmissionsWorld,
} from '../support/admissions.ts';
import { buildApiWorld, type Session, signInAs } from '../support/api.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';

async function signInParent(app: FastifyInstance, phone: string): Promise<Session> {
  const reg = await app.inject({
    method: 'POST',
    url: '/api/admissions/parents',
    payload: { phone, password: 'family2026pw' },
  });
  expect(reg.statusCode, reg.body).toBe(204);
  const r = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: phone, password: 'family2026pw' },
  });
  expect(r.statusCode, r.body).toBe(200);
  expect(r.json().actions).toEqual(['admissions.apply']);
  return { cookie: String(r.headers['set-cookie']).split(';')[0], csrf: r.json().csrfToken };
}

const as = (s: Session) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf });

function multipart(file: Buffer, filename: string) {
  const boundary = '----eduatlas-test';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`admissions API on ${dialect}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let w: AdmissionsWorld;
    let clerk: Session;
    let roundId: number;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      const world = await buildApiWorld(t);
      app = world.app;
      w = await seedAdmissionsWorld(t.store.db);
      clerk = await signInAs(app, 'county_staff');
      const created = await app.inject({
        method: 'POST',
        url: '/api/admissions/rounds',
        headers: as(clerk),
        payload: {
          countyCode: '411402',
          year: 2026,
          stage: 'primary',
          name: '2026 年梁园区小学招生',
          rules: buildRules(),
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      roundId = created.json().id;
      const opened = await app.inject({
        method: 'POST',
        url: `/api/admissions/rounds/${roundId}/open`,
        headers: as(clerk),
      });
      expect(opened.json()).toMatchObject({ status: 'open', accepting: true });
    });
    afterAll(async () => {
      await app?.close();
      await t?.drop();
    });

    it('names the field of a bad rule, and refuses edits once registration opened', async () => {
      const rules = buildRules();
      const v = await app.inject({
        method: 'POST',
        url: '/api/admissions/rules/validate',
        headers: as(clerk),
        payload: { rules: { ...rules, choices: { ...rules.choices, maxTotal: 0 } } },
      });
      expect(v.json().problems.map((p: { field: string }) => p.field)).toEqual([
        'rules.choices.maxTotal',
        'rules.choices.maxPublic',
        'rules.choices.maxPrivate',
      ]);
      const put = await app.inject({
        method: 'PUT',
        url: `/api/admissions/rounds/${roundId}`,
        headers: as(clerk),
        payload: { rules },
      });
      expect(put.statusCode).toBe(400);
      expect(put.json()).toMatchObject({ code: 'admissions.rules_frozen', field: 'rules' });
    });

    it('says honestly that no SMS provider is configured', async () => {
      const r = await app.inject({
        method: 'POST',
        url: '/api/admissions/parents/sms-code',
        payload: { phone: '13900000000' },
      });
      expect(r.statusCode).toBe(400);
      expect(r.json().code).toBe('sms.not_configured');
    });

    it('makes exactly one application from 50 concurrent duplicate submits', async () => {
      const parent = await signInParent(app, '13900000001');
      const payload = {
        roundId,
        clientKey: 'double-click-0001',
        ...buildApplication(w, { child: { idNumber: childId(11), name: '陈一' } }),
      };
      const replies = await Promise.all(
        Array.from({ length: 50 }, () =>
          app.inject({
            method: 'POST',
            url: '/api/admissions/my/applications',
            headers: as(parent),
            payload,
          }),
        ),
      );
      const statuses = replies.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(49);
      expect(new Set(replies.map((r) => r.json().id)).size).toBe(1);
      const stored = await t.store.db
        .selectFrom('admission_applications')
        .select(['id'])
        .where('child_id_number', '=', childId(11))
        .execute();
      expect(stored).toHaveLength(1);
      const choices = await t.store.db
        .selectFrom('admission_choices')
        .selectAll()
        .where('application_id', '=', stored[0].id)
        .execute();
      expect(choices).toHaveLength(1);
    });

    it('runs apply → return → correct → approve, with the reason shown to the family and every decision audited', async () => {
      const parent = await signInParent(app, '13900000002');
      const submitted = await app.inject({
        method: 'POST',
        url: '/api/admissions/my/applications',
        headers: as(parent),
        payload: {
          roundId,
          clientKey: 'flow-key-0001',
          ...buildApplication(w, { child: { idNumber: childId(12), name: '刘二' } }),
        },
      });
      expect(submitted.statusCode, submitted.body).toBe(201);
      const id = submitted.json().id;
      expect(submitted.json().missingProofs).toHaveLength(3);
      const png = Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        Buffer.alloc(500),
      ]);
      for (const doc of ['hukou_book', 'birth_certificate']) {
        const up = await app.inject({
          method: 'POST',
          url: `/api/admissions/my/applications/${id}/documents?docType=${doc}`,
          ...multipart(doc === 'hukou_book' ? JPEG : png, 'photo.jpg'),
          headers: { ...as(parent), ...multipart(JPEG, 'x').headers },
        });
        expect(up.statusCode, up.body).toBe(201);
      }
      const fake = await app.inject({
        method: 'POST',
        url: `/api/admissions/my/applications/${id}/documents?docType=property_deed`,
        ...multipart(Buffer.from('%PDF-1.4 not a photo'), 'deed.jpg'),
        headers: { ...as(parent), ...multipart(JPEG, 'x').headers },
      });
      expect(fake.json()).toMatchObject({ code: 'admissions.doc_type', field: 'file' });
      const huge = await app.inject({
        method: 'POST',
        url: `/api/admissions/my/applications/${id}/documents?docType=property_deed`,
        ...multipart(Buffer.concat([JPEG, Buffer.alloc(4 * 1024 * 1024)]), 'deed.jpg'),
        headers: { ...as(parent), ...multipart(JPEG, 'x').headers },
      });
      expect(huge.json()).toMatchObject({ code: 'admissions.doc_size', field: 'file' });

      const queue = await app.inject({
        url: `/api/admissions/rounds/${roundId}/queue?school=${w.publicId}`,
        headers: as(clerk),
      });
      const row = queue.json().rows.find((r: { id: number }) => r.id === id);
      expect(row).toMatchObject({ childName: '刘*', missingProofs: 1, status: 'submitted' });
      expect(queue.body).not.toContain(childId(12));

      const ret = await app.inject({
        method: 'POST',
        url: `/api/admissions/applications/${id}/decision`,
        headers: as(clerk),
        payload: { decision: 'return', reason: '请补充不动产权证书照片' },
      });
      expect(ret.json()).toMatchObject({ status: 'returned', returnReason: '请补充不动产权证书照片' });
      const seen = await app.inject({ url: `/api/admissions/my/applications/${id}`, headers: as(parent) });
      expect(seen.json()).toMatchObject({
        status: 'returned',
        returnReason: '请补充不动产权证书照片',
        editable: true,
      });

      const deed = await app.inject({
        method: 'POST',
        url: `/api/admissions/my/applications/${id}/documents?docType=property_deed`,
        ...multipart(JPEG, 'deed.jpg'),
        headers: { ...as(parent), ...multipart(JPEG, 'x').headers },
      });
      expect(deed.statusCode).toBe(201);
      const resubmit = await app.inject({
        method: 'PUT',
        url: `/api/admissions/my/applications/${id}`,
        headers: as(parent),
        payload: buildApplication(w, { child: { idNumber: childId(12), name: '刘二' } }),
      });
      expect(resubmit.json()).toMatchObject({ status: 'submitted', returnReason: null, missingProofs: [] });

      const approve = await app.inject({
        method: 'POST',
        url: `/api/admissions/applications/${id}/decision`,
        headers: as(clerk),
        payload: { decision: 'approve', category: 'hukou_property' },
      });
      expect(approve.json()).toMatchObject({ status: 'approved', approvedCategory: 'hukou_property' });
      expect(approve.json().decisions.map((d: { decision: string }) => d.decision)).toEqual([
        'return',
        'approve',
      ]);
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select(['action', 'username', 'detail'])
        .where('resource_type', '=', 'admission_application')
        .where('resource_id', '=', String(id))
        .orderBy('id')
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        'admissions.apply',
        'admissions.document_add',
        'admissions.document_add',
        'admissions.return',
        'admissions.document_add',
        'admissions.edit',
        'admissions.approve',
      ]);
      expect(audit.map((a) => a.detail ?? '').join('')).not.toContain(childId(12));
      expect(audit.map((a) => a.detail ?? '').join('')).not.toContain('刘二');

      // The clerk looks at a photo: served as the image it is, and the read is audited.
      const photo = await app.inject({
        url: `/api/admissions/documents/${approve.json().documents[0].id}`,
        headers: as(clerk),
      });
      expect(photo.headers['content-type']).toBe('image/jpeg');
      expect(photo.rawPayload.equals(JPEG)).toBe(true);
      const reads = await t.store.db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'admissions.document_read')
        .execute();
      expect(reads).toHaveLength(1);

      const counts = await app.inject({
        url: `/api/admissions/rounds/${roundId}/counts`,
        headers: as(clerk),
      });
      expect(counts.json().byStatus.approved).toBe(1);
      expect(counts.json().schools.find((s: { id: number }) => s.id === w.publicId)).toMatchObject({
        capacity: 178,
        reserved: 2,
      });
    });

    it('keeps families to their own applications and clerks to their county', async () => {
      const mine = await signInParent(app, '13900000003');
      const other = await signInParent(app, '13900000004');
      const r = await app.inject({
        method: 'POST',
        url: '/api/admissions/my/applications',
        headers: as(mine),
        payload: {
          roundId,
          clientKey: 'scope-key-0001',
          ...buildApplication(w, { child: { idNumber: childId(13), name: '孙三' } }),
        },
      });
      const id = r.json().id;
      for (const [method, url] of [
        ['GET', `/api/admissions/my/applications/${id}`],
        ['POST', `/api/admissions/my/applications/${id}/withdraw`],
      ] as const) {
        const x = await app.inject({ method, url, headers: as(other) });
        expect(x.statusCode, url).toBe(404);
        expect(x.body).not.toContain('孙');
      }
      expect(
        (await app.inject({ url: '/api/admissions/my/applications', headers: as(other) })).json()
          .applications,
      ).toEqual([]);
      await t.store.db
        .updateTable('users')
        .set({ region_code: '411403' })
        .where('username', '=', 'u_county_staff')
        .execute();
      const away = await signInAs(app, 'county_staff');
      expect(
        (await app.inject({ url: `/api/admissions/applications/${id}`, headers: as(away) })).statusCode,
      ).toBe(404);
      expect(
        (await app.inject({ url: `/api/admissions/rounds/${roundId}/queue`, headers: as(away) })).statusCode,
      ).toBe(404);
      await t.store.db
        .updateTable('users')
        .set({ region_code: '411402' })
        .where('username', '=', 'u_county_staff')
        .execute();
      // The clerk resets the family's password: a one-time password that must be changed.
      const reset = await app.inject({
        method: 'POST',
        url: '/api/admissions/parents/reset-password',
        headers: as(await signInAs(app, 'county_staff')),
        payload: { phone: '13900000003' },
      });
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: '13900000003', password: reset.json().temporaryPassword },
      });
      expect(login.json()).toMatchObject({ mustChangePassword: true });
    });
  });
}
