import type { RegionLevel } from '../domain/regions/index.ts';
import type { SchoolType } from '../domain/stages.ts';
import type { Db } from './spec.ts';

export interface SchoolRef {
  id: number;
  code: string;
  county_code: string;
  school_type: SchoolType;
  ownership: string;
}

export interface RegionRef {
  code: string;
  name: string;
  parent_code: string | null;
  level: RegionLevel;
}

export interface CommunityRef {
  code: string;
  name: string;
  county_code: string;
  township_code: string | null;
}

/**
 * Reference data an import checks codes against, loaded once per import (never a query per row).
 * Sizes stay small for a city: ~1,500 schools, a few hundred regions, some thousands of communities.
 */
export interface Lookups {
  schools: Map<string, SchoolRef>;
  schoolsById: Map<number, SchoolRef>;
  regions: Map<string, RegionRef>;
  communities: Map<string, CommunityRef>;
}

export async function loadLookups(db: Db): Promise<Lookups> {
  const schools = (await db
    .selectFrom('schools')
    .select(['id', 'code', 'county_code', 'school_type', 'ownership'])
    .execute()) as SchoolRef[];
  const regions = (await db.selectFrom('regions').selectAll().execute()) as RegionRef[];
  const communities = await db
    .selectFrom('communities')
    .select(['code', 'name', 'county_code', 'township_code'])
    .execute();
  return {
    schools: new Map(schools.map((s) => [s.code, { ...s, id: Number(s.id) }])),
    schoolsById: new Map(schools.map((s) => [Number(s.id), { ...s, id: Number(s.id) }])),
    regions: new Map(regions.map((r) => [r.code, r])),
    communities: new Map(communities.map((c) => [c.code, c])),
  };
}
