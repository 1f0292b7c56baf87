import { describe, expect, it } from 'vitest';
import type { Principal, Role } from '../../src/auth/roles.ts';
import { countyFilterOf } from '../../src/server/session.ts';

const user = (role: Role, regionCode: string | null, schoolId: number | null = null): Principal => ({
  id: 1,
  username: 'u',
  role,
  regionCode,
  schoolId,
});

describe('countyFilterOf: the county filter of the saved lists fails closed', () => {
  it('gives a city role its city or province, and a city role without a region everything', () => {
    expect(countyFilterOf(user('city_planning', '411400'))).toEqual({ countyPrefix: '4114' });
    expect(countyFilterOf(user('city_admissions', '410000'))).toEqual({ countyPrefix: '41' });
    expect(countyFilterOf(user('city_admin', null))).toEqual({});
  });

  it('gives county staff their county only', () => {
    expect(countyFilterOf(user('county_staff', '411402'))).toEqual({ county: '411402' });
  });

  it.each([
    ['school staff', user('school_staff', '411402', 7)],
    ['school staff without a school', user('school_staff', null, null)],
    ['a parent', user('parent', null)],
    ['county staff without a county', user('county_staff', null)],
  ])('refuses %s with 403 auth.forbidden instead of an unfiltered list', (_, u) => {
    let caught: unknown;
    try {
      countyFilterOf(u);
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({
      code: 'auth.forbidden',
      zh: '没有权限执行此操作',
      en: 'You are not allowed to do this',
    });
  });
});
