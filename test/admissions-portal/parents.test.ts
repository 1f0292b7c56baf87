import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerParent, type SmsSender, sendPhoneCode } from '../../src/admissions/parents.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

/** A provider that keeps the texts it was asked to send (a deployment plugs a real one in). */
function recordingSender(): SmsSender & { sent: { phone: string; text: string }[] } {
  const sent: { phone: string; text: string }[] = [];
  return { sent, send: async (phone, text) => void sent.push({ phone, text }) };
}

describe('parent accounts', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    await seedRegions(t.store.db);
  });
  afterAll(async () => t?.drop());

  it('without an SMS provider: registers unverified, and says no code is needed', async () => {
    await expect(sendPhoneCode(t.store.db, null, '13800000001')).rejects.toMatchObject({
      code: 'sms.not_configured',
    });
    const u = await registerParent(t.store.db, null, { phone: '13800000001', password: 'parent2026pw' });
    expect(u).toMatchObject({ role: 'parent', username: '13800000001' });
    const acc = await t.store.db
      .selectFrom('parent_accounts')
      .selectAll()
      .where('user_id', '=', u.id)
      .executeTakeFirstOrThrow();
    expect(acc.phone_verified).toBe(0);
    await expect(
      registerParent(t.store.db, null, { phone: '13800000001', password: 'parent2026pw' }),
    ).rejects.toMatchObject({
      code: 'parent.exists',
      field: 'phone',
    });
    await expect(
      registerParent(t.store.db, null, { phone: '1380000', password: 'parent2026pw' }),
    ).rejects.toMatchObject({
      field: 'phone',
    });
    await expect(
      registerParent(t.store.db, null, { phone: '13800000002', password: 'short' }),
    ).rejects.toMatchObject({
      code: 'auth.weak_password',
    });
  });

  it('with a provider: the texted code confirms the phone; a wrong code or a quick resend is refused', async () => {
    const sms = recordingSender();
    await sendPhoneCode(t.store.db, sms, '13800000003');
    await expect(sendPhoneCode(t.store.db, sms, '13800000003')).rejects.toMatchObject({
      code: 'sms.too_soon',
    });
    expect(sms.sent).toHaveLength(1);
    const code = sms.sent[0].text.match(/\d{6}/)![0];
    const wrong = code === '000000' ? '000001' : '000000';
    await expect(
      registerParent(t.store.db, sms, { phone: '13800000003', password: 'parent2026pw', smsCode: wrong }),
    ).rejects.toMatchObject({ code: 'parent.bad_code', field: 'smsCode' });
    const u = await registerParent(t.store.db, sms, {
      phone: '13800000003',
      password: 'parent2026pw',
      smsCode: code,
    });
    const acc = await t.store.db
      .selectFrom('parent_accounts')
      .selectAll()
      .where('user_id', '=', u.id)
      .executeTakeFirstOrThrow();
    expect(acc.phone_verified).toBe(1);
    // The code is used up.
    expect(await t.store.db.selectFrom('phone_codes').selectAll().execute()).toEqual([]);
  });
});
