import type { Kysely } from 'kysely';
import { type RoundRules, typicalRules } from '../../src/admissions/rules.ts';
import { makeIdNumber } from '../../src/domain/id-number.ts';
import type { Database } from '../../src/store/schema.ts';
import { buildSchool, HOME_COUNTY } from './api.ts';

/** 2026 primary round rules whose registration is open now (closes in a week) unless overridden. */
export function buildRules(over: Partial<RoundRules> = {}): RoundRules {
  const rules = typicalRules(2026);
  const shanghai = (ms: number) => new Date(Date.now() + ms + 8 * 3600_000).toISOString().slice(0, 16);
  const opens = shanghai(-86400_000);
  return {
    ...rules,
    schedule: {
      planPublished: opens.slice(0, 10),
      registrationOpens: opens,
      registrationCloses: shanghai(7 * 86400_000),
      verificationEnds: '2099-08-05',
      drawOn: '2099-08-08',
      noticeOn: '2099-08-12',
      appealsClose: '2099-08-20',
    },
    ...over,
  };
}

export interface AdmissionsWorld {
  publicId: number;
  otherPublicId: number;
  privateId: number;
  community: string;
}

/**
 * In the home county: two public primary schools both serving community 411402001001 (多校划片),
 * a private primary school, planned G1 classes for each, for the 2026 primary catchments.
 */
export async function seedAdmissionsWorld(db: Kysely<Database>): Promise<AdmissionsWorld> {
  const add = async (code: string, name: string, ownership: string) =>
    (
      await db
        .insertInto('schools')
        .values(buildSchool({ code, name, ownership }))
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const publicId = await add('4114020101', '梁园区第一实验小学', 'public');
  const otherPublicId = await add('4114020102', '梁园区第二实验小学', 'public');
  const privateId = await add('4114020103', '梁园区民办育才小学', 'private');
  for (const id of [publicId, otherPublicId, privateId])
    await db
      .insertInto('school_capacity')
      .values({
        school_id: id,
        county_code: HOME_COUNTY,
        grade: 'G1',
        planned_classes: 4,
        standard_class_size: 45,
      })
      .execute();
  const community = '411402001001';
  await db
    .insertInto('communities')
    .values([
      { code: community, name: '平原小区', county_code: HOME_COUNTY },
      { code: '411402001002', name: '凯旋小区', county_code: HOME_COUNTY },
    ])
    .execute();
  await db
    .insertInto('catchments')
    .values([
      {
        county_code: HOME_COUNTY,
        year: 2026,
        stage: 'primary',
        community_code: community,
        school_id: publicId,
      },
      {
        county_code: HOME_COUNTY,
        year: 2026,
        stage: 'primary',
        community_code: community,
        school_id: otherPublicId,
      },
      {
        county_code: HOME_COUNTY,
        year: 2026,
        stage: 'primary',
        community_code: '411402001002',
        school_id: otherPublicId,
      },
    ])
    .execute();
  return { publicId, otherPublicId, privateId, community };
}

/** A child born inside the 2026 primary window, distinct per sequence number. */
/**
 * Places the world's schools and its two communities on the map (what the draw's 统筹 needs): the
 * home community next to the first public school, 411402001002 next to the other public school.
 */
export async function locateAdmissionsWorld(db: Kysely<Database>, w: AdmissionsWorld): Promise<void> {
  for (const [id, lng, lat] of [
    [w.publicId, 115.6, 34.4],
    [w.otherPublicId, 115.62, 34.41],
    [w.privateId, 115.61, 34.4],
  ])
    await db.updateTable('schools').set({ lng, lat }).where('id', '=', id).execute();
  await db
    .updateTable('communities')
    .set({ lng: 115.601, lat: 34.401 })
    .where('code', '=', w.community)
    .execute();
  await db
    .updateTable('communities')
    .set({ lng: 115.619, lat: 34.409 })
    .where('code', '=', '411402001002')
    .execute();
}

export const childId = (seq: number, birth = '2019-10-01') => makeIdNumber(HOME_COUNTY, birth, seq);

/** A 户房一致 application choosing the first public school. */
export function buildApplication(w: AdmissionsWorld, over: Record<string, unknown> = {}) {
  return {
    child: { idNumber: childId(1), name: '张小明' },
    communityCode: w.community,
    facts: { localHukou: true, hukouAtProperty: true, hasProperty: true, residencePermit: false },
    propertyNo: '豫(2020)商丘市不动产权第0001号',
    guardian: { name: '张大明', relation: 'father' as const },
    consent: true,
    category: 'hukou_property',
    choices: [w.publicId],
    ...over,
  };
}

/** The smallest valid JPEG start (SOI + APP0 marker) padded to a plausible photo. */
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 1)]);
