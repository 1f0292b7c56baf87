/**
 * Residential communities (小区/村), catchments (学区划片, some 多校划片), the housing pipeline and
 * education groups (集团化办学) of one demo county.
 */
import { type CensusRow, pupilsOf } from './census.ts';
import { compoundName, DEMO_MARK, shortTownship, townCommunityName, villageName } from './names.ts';
import { Rng } from './prng.ts';
import { type CountyProfile, CURRENT_YEAR } from './profile.ts';
import type { DemoSchool, Township } from './schools.ts';

export interface DemoCommunity {
  code: string;
  name: string;
  township: Township;
  lng: number;
  lat: number;
  urban: boolean;
}
export interface DemoCatchment {
  stage: 'primary' | 'junior';
  community: DemoCommunity;
  school: DemoSchool;
}
export interface DemoHousing {
  code: string;
  name: string;
  community: DemoCommunity;
  deliveryYear: number;
  units: number;
  status: string;
}
export interface DemoGroup {
  code: string;
  name: string;
  lead: DemoSchool;
  mode: string;
  tightness: string;
  startYear: number;
  members: { school: DemoSchool; joinedYear: number }[];
}

export interface CountyPlaces {
  communities: DemoCommunity[];
  catchments: DemoCatchment[];
  housing: DemoHousing[];
  groups: DemoGroup[];
  /** Communities a pupil of the school may live in (its catchment, or the township/county). */
  homesOf: (s: DemoSchool) => DemoCommunity[];
}

const teachesPrimary = (s: DemoSchool) => s.weights.P !== undefined;
const teachesJunior = (s: DemoSchool) => s.weights.J !== undefined;

export function generatePlaces(
  county: CountyProfile,
  factor: number,
  townships: Township[],
  schools: DemoSchool[],
  rows: readonly CensusRow[],
  seed: number,
  /** This county's share of the city's 122 compulsory education groups and their 389 schools. */
  groupQuota: { groups: number; schools: number },
): CountyPlaces {
  const rng = Rng.for(seed, `places:${county.code}`);
  const kmLat = 1 / 111;
  const kmLng = 1 / (111 * Math.cos((county.lat * Math.PI) / 180));
  const seqByTownship = new Map<string, number>();
  const communities: DemoCommunity[] = [];
  const usedNames = new Set<string>();
  const newCommunity = (
    t: Township,
    kind: 'compound' | 'village' | 'town',
    near: { lng: number; lat: number },
    km: number,
  ) => {
    const n = (seqByTownship.get(t.code) ?? 0) + 1;
    seqByTownship.set(t.code, n);
    let name = '';
    for (let a = 0; a < 20; a++) {
      name =
        kind === 'compound'
          ? compoundName(rng)
          : kind === 'town'
            ? `${shortTownship(t.name)}${townCommunityName(rng)}`
            : `${shortTownship(t.name)}${villageName(rng)}村`;
      if (!usedNames.has(name)) break;
      name = `${name}${['二期', '东区', '西区', '南区', '北区'][a % 5]}`;
      if (!usedNames.has(name)) break;
    }
    usedNames.add(name);
    const ang = rng.range(0, 2 * Math.PI);
    const d = rng.range(0.2, km);
    const c: DemoCommunity = {
      code: `D${t.code}${String(n).padStart(3, '0')}`,
      name: name + DEMO_MARK,
      township: t,
      lng: round6(near.lng + d * Math.cos(ang) * kmLng),
      lat: round6(near.lat + d * Math.sin(ang) * kmLat),
      urban: kind === 'compound',
    };
    communities.push(c);
    return c;
  };

  const pupils2025 = new Map<number, number>();
  for (const r of rows)
    if (r.year === CURRENT_YEAR && (r.stream === 'P' || r.stream === 'J'))
      pupils2025.set(r.school.id, (pupils2025.get(r.school.id) ?? 0) + pupilsOf(r));

  // Primary catchments: each public school with primary grades gets its communities.
  const catchments: DemoCatchment[] = [];
  const publicPrimary = schools.filter((s) => teachesPrimary(s) && s.ownership === 'public');
  const publicJunior = schools.filter((s) => teachesJunior(s) && s.ownership === 'public');
  const ownCommunities = new Map<number, DemoCommunity[]>();
  for (const s of publicPrimary) {
    const p = pupils2025.get(s.id) ?? 0;
    const list: DemoCommunity[] = [];
    if (s.locale === 'urban') {
      const k = clamp(Math.round(p / 450), 3, 12);
      for (let i = 0; i < k; i++) list.push(newCommunity(s.township, 'compound', s, 1.2));
    } else if (s.locale === 'town') {
      list.push(newCommunity(s.township, 'town', s, 0.6));
      const k = clamp(Math.round(p / 180), 2, 8);
      for (let i = 0; i < k; i++) list.push(newCommunity(s.township, 'village', s, 3));
    } else {
      const k = clamp(Math.round(p / 70), 1, 5);
      for (let i = 0; i < k; i++) list.push(newCommunity(s.township, 'village', s, 2.5));
    }
    ownCommunities.set(s.id, list);
    for (const c of list) catchments.push({ stage: 'primary', community: c, school: s });
  }
  // 多校划片: some city compounds (and a few town communities) share a second primary school nearby;
  // every county with two such schools has at least one shared community.
  let shared = 0;
  for (const s of publicPrimary) {
    if (s.locale === 'rural') continue;
    for (const c of ownCommunities.get(s.id) ?? []) {
      if (!rng.chance(s.locale === 'urban' ? 0.15 : 0.04)) continue;
      const other = nearest(
        c,
        publicPrimary.filter((o) => o !== s && o.locale !== 'rural'),
      );
      if (!other) continue;
      catchments.push({ stage: 'primary', community: c, school: other });
      shared++;
    }
  }
  const flagship = publicPrimary.find((s) => s.locale === 'urban') ?? publicPrimary[0];
  if (shared === 0 && flagship && publicPrimary.length > 1) {
    const c = (ownCommunities.get(flagship.id) ?? [])[0];
    const other =
      c &&
      nearest(
        c,
        publicPrimary.filter((o) => o !== flagship),
      );
    if (c && other) catchments.push({ stage: 'primary', community: c, school: other });
  }
  // Junior catchments: the nearest public junior-stage school of the township, else of the county.
  const juniorFor = (c: DemoCommunity) => {
    const same = publicJunior.filter((j) => j.township === c.township);
    return nearest(c, same.length > 0 ? same : publicJunior);
  };
  for (const c of communities) {
    const j = juniorFor(c);
    if (!j) continue;
    catchments.push({ stage: 'junior', community: c, school: j });
    if (c.urban && rng.chance(0.1)) {
      const other = nearest(
        c,
        publicJunior.filter((o) => o !== j && o.locale === 'urban'),
      );
      if (other) catchments.push({ stage: 'junior', community: c, school: other });
    }
  }

  // Housing pipeline: new compounds delivered 2024–2030, with their catchments already drawn.
  const housing: DemoHousing[] = [];
  const nHousing = Math.max(2, Math.round(120 * county.share * factor));
  const urbanTs = townships.filter((t) => t.urban);
  const townTs = townships.filter((t) => !t.urban);
  for (let i = 0; i < nHousing; i++) {
    const urban = rng.chance(0.8) || townTs.length === 0;
    const t = urban ? rng.pick(urbanTs) : rng.pick(townTs);
    const c = newCommunity(t, 'compound', t, urban ? 3 : 1.5);
    const deliveryYear = 2024 + Math.floor(rng.next() * 7);
    const status =
      deliveryYear <= CURRENT_YEAR
        ? 'delivered'
        : deliveryYear <= 2027
          ? 'under_construction'
          : deliveryYear <= 2028
            ? 'approved'
            : 'planned';
    housing.push({
      code: `H${county.code}${String(i + 1).padStart(3, '0')}`,
      name: `${c.name.replace(DEMO_MARK, '')}${rng.pick(['', '一期', '二期', '三期'])}项目${DEMO_MARK}`,
      community: c,
      deliveryYear,
      units: urban ? rng.int(8, 48) * 50 : rng.int(4, 18) * 50,
      status,
    });
    const p = nearest(c, publicPrimary);
    if (p) catchments.push({ stage: 'primary', community: c, school: p });
    const j = juniorFor(c);
    if (j) catchments.push({ stage: 'junior', community: c, school: j });
  }

  // Education groups: the largest public compulsory schools lead; new, village and small town schools join.
  const groups: DemoGroup[] = [];
  const nGroups = Math.max(1, groupQuota.groups);
  const nSchools = Math.max(2 * nGroups, groupQuota.schools);
  const eligible = schools
    .filter(
      (s) => (teachesPrimary(s) || teachesJunior(s)) && s.ownership === 'public' && s.type !== 'special',
    )
    .sort((a, b) => (pupils2025.get(b.id) ?? 0) - (pupils2025.get(a.id) ?? 0) || a.id - b.id);
  // Leads: strong schools, drawn from the biggest few (not always the very biggest).
  const strong = eligible.slice(0, Math.min(eligible.length, Math.ceil(nGroups * 1.8)));
  const leads = rng
    .shuffle(strong.slice())
    .slice(0, nGroups)
    .sort((a, b) => a.id - b.id);
  const pool = eligible.filter((s) => !leads.includes(s));
  const pref = (s: DemoSchool) =>
    s.openYear > 2013 ? 0 : s.locale === 'rural' ? 1 : s.locale === 'town' ? 2 : 3;
  const candidates = pool
    .map((s) => ({ s, key: pref(s) + rng.next() * 2.5 }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.s)
    .slice(0, Math.max(0, nSchools - leads.length));
  leads.forEach((lead, g) => {
    const startYear = rng.int(2018, 2023);
    groups.push({
      code: `JT${county.code}${String(g + 1).padStart(3, '0')}`,
      name: `${lead.name.replace(DEMO_MARK, '')}教育集团${DEMO_MARK}`,
      lead,
      mode: 'strong_weak',
      tightness: rng.chance(0.4) ? 'tight' : 'loose',
      startYear,
      members: [{ school: lead, joinedYear: startYear }],
    });
  });
  rng.shuffle(candidates);
  candidates.forEach((s, k) => {
    const g = groups[k % groups.length];
    g.members.push({
      school: s,
      joinedYear: Math.min(CURRENT_YEAR, Math.max(g.startYear, s.openYear) + rng.int(0, 1)),
    });
  });
  for (const g of groups) {
    // 名校+新校 / 名校+农村校 / 名校+弱校, by the group's first partner
    const first = g.members[1]?.school;
    g.mode = !first
      ? 'strong_weak'
      : first.openYear > 2013
        ? 'strong_new'
        : first.locale === 'rural'
          ? 'strong_rural'
          : 'strong_weak';
  }

  // Where pupils live: the school's catchment; private, kindergarten and senior pupils anywhere nearby.
  const byTownship = new Map<string, DemoCommunity[]>();
  for (const c of communities) {
    const l = byTownship.get(c.township.code) ?? [];
    l.push(c);
    byTownship.set(c.township.code, l);
  }
  const catchOf = new Map<number, DemoCommunity[]>();
  for (const c of catchments) {
    if (housing.some((h) => h.community === c.community && h.deliveryYear > CURRENT_YEAR)) continue;
    const l = catchOf.get(c.school.id) ?? [];
    l.push(c.community);
    catchOf.set(c.school.id, l);
  }
  const existing = communities.filter(
    (c) => !housing.some((h) => h.community === c && h.deliveryYear > CURRENT_YEAR),
  );
  const urbanCommunities = existing.filter((c) => c.urban);
  const homesOf = (s: DemoSchool): DemoCommunity[] => {
    if (s.ownership === 'public' && (teachesPrimary(s) || teachesJunior(s))) {
      const own = catchOf.get(s.id);
      if (own && own.length > 0) return own;
    }
    if (s.weights.K !== undefined) {
      const t = (byTownship.get(s.township.code) ?? []).filter((c) => existing.includes(c));
      if (t.length > 0) return t;
    }
    if (s.ownership === 'private' && urbanCommunities.length > 0) return urbanCommunities;
    return existing;
  };

  return { communities, catchments, housing, groups, homesOf };
}

function nearest<T extends { lng: number; lat: number }>(
  p: { lng: number; lat: number },
  list: T[],
): T | undefined {
  let best: T | undefined;
  let bd = Infinity;
  for (const s of list) {
    const d = (s.lng - p.lng) ** 2 + (s.lat - p.lat) ** 2;
    if (d < bd) {
      bd = d;
      best = s;
    }
  }
  return best;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
