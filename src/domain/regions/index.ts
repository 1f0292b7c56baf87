import table from './henan.json' with { type: 'json' };

export type RegionLevel = 'province' | 'city' | 'county' | 'township';
export interface Region {
  code: string;
  name: string;
  parent_code: string | null;
  level: RegionLevel;
}

/** Henan's province, cities and counties (GB/T 2260), with 商丘市's townships; the source is in the JSON. */
export const HENAN_REGIONS: readonly Region[] = (
  table.rows as [string, string, string | null, RegionLevel][]
).map(([code, name, parent_code, level]) => ({ code, name, parent_code, level }));
export const REGION_TABLE_SOURCE: string = table.source;

/** Level implied by a code's length and zeros: 6 digits for province/city/county, 9 for a township. */
export function levelOfCode(code: string): RegionLevel | null {
  if (/^\d{9}$/.test(code)) return 'township';
  if (!/^\d{6}$/.test(code)) return null;
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

/** The county (6 digits) a county or township code belongs to. */
export function countyOfCode(code: string): string {
  return code.slice(0, 6);
}
