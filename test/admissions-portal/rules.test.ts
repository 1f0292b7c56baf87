import { describe, expect, it } from 'vitest';
import { isAccepting, requireAccepting } from '../../src/admissions/rounds.ts';
import {
  categoryMatches,
  checkRoundRules,
  type Facts,
  missingProofs,
  parseRoundRules,
  typicalRules,
} from '../../src/admissions/rules.ts';
import { shanghaiInstant } from '../../src/domain/time.ts';

const facts = (over: Partial<Facts>): Facts => ({
  localHukou: false,
  hukouAtProperty: false,
  hasProperty: false,
  residencePermit: false,
  ...over,
});

describe('round rules', () => {
  it('accepts the typical Henan template', () => {
    expect(checkRoundRules(typicalRules(2026)).problems).toEqual([]);
  });

  it('names the field of every problem', () => {
    const r = typicalRules(2026);
    const bad = {
      ...r,
      schedule: { ...r.schedule, registrationCloses: '2026-07-10T18:00', verificationEnds: '2026-07-30' },
      ageWindow: { bornFrom: '2019-09-01', bornTo: '2019-02-30' },
      categories: [
        r.categories[0],
        { ...r.categories[1], code: 'hukou_property' },
        { ...r.categories[2], proofs: ['passport'] },
      ],
      choices: { maxPublic: 2, maxPrivate: 1, maxTotal: 1 },
    };
    const fields = checkRoundRules(bad).problems.map((p) => p.field);
    expect(fields).toEqual(
      expect.arrayContaining(['rules.ageWindow.bornTo', 'rules.categories[2].proofs[0]']),
    );
    // Cross-field checks run once the shape is right.
    const shaped = { ...bad, ageWindow: r.ageWindow, categories: bad.categories.slice(0, 2) };
    expect(checkRoundRules(shaped).problems).toEqual([
      {
        field: 'rules.schedule.registrationCloses',
        zh: '不得早于 registrationOpens',
        en: 'must not be before registrationOpens',
      },
      {
        field: 'rules.categories[1].code',
        zh: '类别代码 hukou_property 重复',
        en: 'duplicate code hukou_property',
      },
      {
        field: 'rules.choices.maxPublic',
        zh: '不得超过 maxTotal（志愿总数）',
        en: 'must not exceed maxTotal',
      },
    ]);
    expect(() => parseRoundRules({ ...r, propertyFamilyLimit: 0 })).toThrow(
      expect.objectContaining({ code: 'admissions.rules_invalid', field: 'rules.propertyFamilyLimit' }),
    );
    expect(() => parseRoundRules({ ...r, extra: 1 })).toThrow(expect.objectContaining({ field: 'rules' }));
  });

  it('reads deadlines as Asia/Shanghai time', () => {
    expect(shanghaiInstant('2026-07-30T18:00')).toBe('2026-07-30T10:00:00.000Z');
    expect(shanghaiInstant('2026-08-01')).toBe('2026-07-31T16:00:00.000Z');
    // 18:00 in Beijing is 10:00 UTC: a family in Zhengzhou submitting at 17:59:59 is in time.
    const round = { status: 'open' as const, deadline_at: shanghaiInstant('2026-07-30T18:00') };
    expect(isAccepting(round, new Date('2026-07-30T17:59:59+08:00'))).toBe(true);
    expect(isAccepting(round, new Date('2026-07-30T10:00:00Z'))).toBe(false);
    expect(() => requireAccepting(round, new Date('2026-07-30T18:00:00+08:00'))).toThrow(
      expect.objectContaining({ code: 'admissions.deadline_passed' }),
    );
    expect(isAccepting({ ...round, status: 'draft' }, new Date('2026-07-01T00:00:00Z'))).toBe(false);
  });
});

describe('every typical category: facts and proofs', () => {
  const [hukouProperty, propertyOnly, hukouOnly, migrantProperty, migrantRent] =
    typicalRules(2026).categories;
  const cases = [
    {
      c: hukouProperty,
      yes: facts({ localHukou: true, hasProperty: true, hukouAtProperty: true }),
      no: facts({ localHukou: true, hasProperty: true }),
      full: ['hukou_book', 'purchase_contract', 'birth_certificate'],
    },
    {
      c: propertyOnly,
      yes: facts({ localHukou: true, hasProperty: true }),
      no: facts({ localHukou: true, hasProperty: true, hukouAtProperty: true }),
      full: ['hukou_book', 'property_deed', 'birth_certificate'],
    },
    {
      c: hukouOnly,
      yes: facts({ localHukou: true }),
      no: facts({ localHukou: true, hasProperty: true }),
      full: ['hukou_book', 'birth_certificate'],
    },
    {
      c: migrantProperty,
      yes: facts({ residencePermit: true, hasProperty: true }),
      no: facts({ hasProperty: true }),
      full: ['residence_permit', 'property_deed', 'birth_certificate'],
    },
    {
      c: migrantRent,
      yes: facts({ residencePermit: true }),
      no: facts({ residencePermit: true, localHukou: true }),
      full: ['residence_permit', 'lease', 'business_licence', 'birth_certificate'],
    },
  ];
  for (const { c, yes, no, full } of cases) {
    it(`${c.label.zh}: the facts it needs, each proof it lists`, () => {
      expect(categoryMatches(c, yes)).toBe(true);
      expect(categoryMatches(c, no)).toBe(false);
      expect(missingProofs(c, full)).toEqual([]);
      // Dropping any one document leaves exactly the proof it satisfied.
      for (const d of full) {
        const missing = missingProofs(
          c,
          full.filter((x) => x !== d),
        );
        expect(missing).toHaveLength(1);
        expect(missing[0] === d || (Array.isArray(missing[0]) && missing[0].includes(d as never))).toBe(true);
      }
    });
  }
});
