/**
 * The schools of one demo county: how many of each type, public or private, urban/town/rural, where
 * (real township codes, plausible coordinates around the real county seat), how big relative to
 * each other, and since when. Pure and deterministic for a seed.
 */
import { HENAN_REGIONS } from '../domain/regions/index.ts';
import type { Locale, Ownership, SchoolType } from '../domain/stages.ts';
import {
  DEMO_MARK,
  KINDERGARTEN_BRANDS,
  ordinal,
  roadName,
  SCHOOL_BRANDS,
  shortTownship,
  villageName,
} from './names.ts';
import type { Stream } from './plan.ts';
import { Rng } from './prng.ts';
import type { CountyProfile } from './profile.ts';

export interface Township {
  code: string;
  name: string;
  urban: boolean;
  lng: number;
  lat: number;
}

export interface DemoSchool {
  id: number;
  code: string;
  name: string;
  countyCode: string;
  township: Township;
  type: SchoolType;
  ownership: Ownership;
  inclusive: boolean;
  locale: Locale;
  lng: number;
  lat: number;
  address: string;
  /** First census year with pupils (schools opened later enrol one entry grade at a time). */
  openYear: number;
  /** Over-crowded urban school: big classes, pupils above its planned capacity. */
  crowded: boolean;
  /** Runs special-education classes (特教班) for disabled pupils. */
  specialClass: boolean;
  /** Relative size in 2025 per stream it teaches, and the yearly drift of that size. */
  weights: Partial<Record<Stream, number>>;
  drift: number;
}

/** School counts at full size for the whole city (special schools: one per county plus the city's). */
const CITY_COUNTS: Record<Exclude<SchoolType, 'special'>, number> = {
  kindergarten: 620,
  primary: 520,
  nine_year: 110,
  junior: 150,
  complete_secondary: 15,
  senior: 38,
  twelve_year: 10,
  vocational: 30,
};
const MIN_COUNTS: Partial<Record<SchoolType, number>> = {
  kindergarten: 3,
  primary: 4,
  nine_year: 1,
  junior: 1,
  senior: 1,
  vocational: 1,
};
/** [urban, town, rural] shares of a type's schools in a county with urbanisation 0.5. */
const LOCALE_MIX: Record<SchoolType, [number, number, number]> = {
  kindergarten: [0.3, 0.35, 0.35],
  primary: [0.12, 0.25, 0.63],
  nine_year: [0.15, 0.35, 0.5],
  junior: [0.2, 0.55, 0.25],
  complete_secondary: [0.6, 0.4, 0],
  senior: [0.65, 0.35, 0],
  twelve_year: [1, 0, 0],
  vocational: [0.85, 0.15, 0],
  special: [1, 0, 0],
};
const PRIVATE_SHARE: Record<SchoolType, number> = {
  kindergarten: 0.5,
  primary: 0.06,
  nine_year: 0.22,
  junior: 0.12,
  complete_secondary: 0.2,
  senior: 0.22,
  twelve_year: 0.9,
  vocational: 0.3,
  special: 0,
};
/** Relative sizes per stream by locale [urban, town, rural]. */
const SIZE: Record<SchoolType, Partial<Record<Stream, [number, number, number]>>> = {
  kindergarten: { K: [1.6, 1.0, 0.55] },
  primary: { P: [5.0, 2.2, 0.45] },
  nine_year: { P: [2.6, 1.3, 0.35], J: [1.6, 1.1, 0.45] },
  junior: { J: [2.4, 1.5, 0.65] },
  complete_secondary: { J: [1.8, 1.2, 1], S: [1.2, 0.9, 1] },
  senior: { S: [1.4, 1.0, 1] },
  twelve_year: { P: [2.5, 1, 1], J: [1.6, 1, 1], S: [0.5, 1, 1] },
  vocational: { V: [1.0, 0.8, 1] },
  special: { X: [1, 1, 1] },
};
/** Yearly drift of size by locale: children move from village schools to towns and the city. */
const DRIFT: Record<Locale, number> = { urban: 0.025, town: 0.005, rural: -0.045 };

const LOCALES_ORDER: Locale[] = ['urban', 'town', 'rural'];

export function townshipsOf(county: CountyProfile, seed: number): Township[] {
  const rows = HENAN_REGIONS.filter((r) => r.parent_code === county.code && r.level === 'township');
  const rng = Rng.for(seed, `townships:${county.code}`);
  const urban = rows.filter((r) => /街道$/.test(r.name) || /^城关/.test(r.name));
  const other = rows.filter((r) => !urban.includes(r));
  const kmLat = 1 / 111;
  const kmLng = 1 / (111 * Math.cos((county.lat * Math.PI) / 180));
  const out: Township[] = [];
  urban.forEach((r, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, urban.length) + rng.range(-0.3, 0.3);
    const d = urban.length === 1 ? 0.5 : rng.range(1.2, 4);
    out.push({
      code: r.code,
      name: r.name,
      urban: true,
      lng: county.lng + d * Math.cos(a) * kmLng,
      lat: county.lat + d * Math.sin(a) * kmLat,
    });
  });
  other.forEach((r, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, other.length) + rng.range(-0.15, 0.15);
    const d = rng.range(8, 22);
    out.push({
      code: r.code,
      name: r.name,
      urban: false,
      lng: county.lng + d * Math.cos(a) * kmLng,
      lat: county.lat + d * Math.sin(a) * 0.8 * kmLat,
    });
  });
  return out.sort((a, b) => (a.code < b.code ? -1 : 1));
}

export interface SchoolsOfCounty {
  schools: DemoSchool[];
  townships: Township[];
}

/** Generates the county's schools; ids start at `firstId`. */
export function generateSchools(
  county: CountyProfile,
  factor: number,
  seed: number,
  firstId: number,
): SchoolsOfCounty {
  const rng = Rng.for(seed, `schools:${county.code}`);
  const townships = townshipsOf(county, seed);
  const urbanTs = townships.filter((t) => t.urban);
  const otherTs = rng.shuffle(townships.filter((t) => !t.urban));
  const countyName = county.name;
  const prefix = `41149${county.idDigit}`;
  const schools: DemoSchool[] = [];
  const usedNames = new Set<string>();
  const counters = new Map<string, number>();
  const next = (k: string) => {
    const n = (counters.get(k) ?? 0) + 1;
    counters.set(k, n);
    return n;
  };
  let townCursor = 0;
  let ruralCursor = 0;
  const kmLat = 1 / 111;
  const kmLng = 1 / (111 * Math.cos((county.lat * Math.PI) / 180));

  const types: SchoolType[] = [
    'kindergarten',
    'primary',
    'nine_year',
    'junior',
    'complete_secondary',
    'senior',
    'twelve_year',
    'vocational',
  ];
  for (const type of types) {
    const full = CITY_COUNTS[type as Exclude<SchoolType, 'special'>] * county.share;
    const n = Math.max(MIN_COUNTS[type] ?? 0, Math.round(full * factor));
    // Locale split, tilted by the county's urbanisation.
    const mix = LOCALE_MIX[type];
    const u = Math.min(0.92, mix[0] * (county.urban / 0.5));
    const rest = mix[1] + mix[2];
    const shares = rest > 0 ? [u, ((1 - u) * mix[1]) / rest, ((1 - u) * mix[2]) / rest] : [1, 0, 0];
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      // deterministic quota: give the next school to the locale furthest below its share
      let best = 0;
      let gap = -Infinity;
      for (let l = 0; l < 3; l++) {
        const g = shares[l] * (i + 1) - counts[l];
        if (g > gap + 1e-9) {
          gap = g;
          best = l;
        }
      }
      counts[best]++;
    }
    // The flagship (实验) school of the main types is an urban public one, even in a small county.
    const flagship = type === 'kindergarten' || type === 'primary' || type === 'junior';
    if (flagship && counts[0] === 0) {
      const from = counts[2] > 0 ? 2 : 1;
      counts[from]--;
      counts[0]++;
    }
    const nPrivate = Math.round(n * PRIVATE_SHARE[type]);
    // private schools mostly in the city and towns: pick among urban first, then town, then rural
    const slots: Locale[] = [];
    for (let l = 0; l < 3; l++) for (let k = 0; k < counts[l]; k++) slots.push(LOCALES_ORDER[l]);
    const privateKeys = slots.map((loc, i) => ({
      i,
      key: (flagship && i === 0 ? 99 : 1) * rng.next() * (loc === 'urban' ? 1 : loc === 'town' ? 1.6 : 5),
    }));
    privateKeys.sort((a, b) => a.key - b.key);
    const isPrivate = new Set(privateKeys.slice(0, nPrivate).map((k) => k.i));
    slots.forEach((locale, i) => {
      const ownership: Ownership = isPrivate.has(i) ? 'private' : 'public';
      let township: Township;
      if (locale === 'urban') township = urbanTs[rng.int(0, urbanTs.length - 1)];
      else if (locale === 'town') township = otherTs[townCursor++ % otherTs.length];
      else township = otherTs[ruralCursor++ % otherTs.length];
      schools.push(makeSchool(type, ownership, locale, township));
    });
  }
  // Special-education schools: one per county; the city's own sits in the central district.
  schools.push(makeSchool('special', 'public', 'urban', urbanTs[0]));
  if (county.code === '411402')
    schools.push(makeSchool('special', 'public', 'urban', urbanTs[1 % urbanTs.length], true));

  // At least one private compulsory school per county (the migrant ratio needs one).
  const compulsory = (s: DemoSchool) => ['primary', 'nine_year', 'junior', 'twelve_year'].includes(s.type);
  if (!schools.some((s) => compulsory(s) && s.ownership === 'private')) {
    const s =
      schools.find((x) => x.type === 'nine_year' && x.locale !== 'rural') ??
      schools.find((x) => x.type === 'primary' && x.locale === 'urban') ??
      schools.find((x) => x.type === 'primary')!;
    s.ownership = 'private';
    s.name = nameSchool(s.type, 'private', s.locale, s.township, false);
  }
  // Some urban compulsory schools are over-crowded; some run special-education classes.
  const urbanCompulsory = schools.filter(
    (s) => compulsory(s) && s.locale === 'urban' && s.ownership === 'public',
  );
  for (const s of urbanCompulsory) if (rng.chance(0.12)) s.crowded = true;
  if (urbanCompulsory.length > 0 && !urbanCompulsory.some((s) => s.crowded))
    urbanCompulsory[0].crowded = true;
  const publicPrimary = schools.filter(
    (s) =>
      (s.type === 'primary' || s.type === 'nine_year') && s.ownership === 'public' && s.locale !== 'rural',
  );
  const nSpecialClass = Math.max(1, Math.round(publicPrimary.length * 0.08));
  for (const s of publicPrimary.slice(0, nSpecialClass)) s.specialClass = true;

  schools.forEach((s, i) => {
    s.id = firstId + i;
    s.code = `9${prefix}${String(i + 1).padStart(3, '0')}`;
  });
  return { schools, townships };

  function makeSchool(
    type: SchoolType,
    ownership: Ownership,
    locale: Locale,
    township: Township,
    citySchool = false,
  ): DemoSchool {
    const sizes = SIZE[type];
    const li = LOCALES_ORDER.indexOf(locale);
    const noise = Math.exp(0.3 * rng.normal());
    const weights: Partial<Record<Stream, number>> = {};
    for (const [st, v] of Object.entries(sizes) as [Stream, [number, number, number]][]) {
      weights[st] = v[li] * noise * (ownership === 'private' ? 0.75 : 1) * (citySchool ? 1.5 : 1);
    }
    // New schools (新建): a share of the urban ones opened 2017–2024.
    const isNew = locale === 'urban' && type !== 'special' && type !== 'vocational' && rng.chance(0.12);
    const openYear = isNew ? rng.int(2017, 2024) : 2013;
    const spread = locale === 'urban' ? 2.5 : locale === 'town' ? 1 : 4.5;
    const a = rng.range(0, 2 * Math.PI);
    const d = locale === 'rural' ? rng.range(1.2, spread) : rng.range(0, spread);
    return {
      id: 0,
      code: '',
      name: citySchool
        ? `商丘市特殊教育学校${DEMO_MARK}`
        : nameSchool(type, ownership, locale, township, type === 'special'),
      countyCode: county.code,
      township,
      type,
      ownership,
      inclusive: type === 'kindergarten' && ownership === 'private' ? rng.chance(0.7) : false,
      locale,
      lng: round6(township.lng + d * Math.cos(a) * kmLng),
      lat: round6(township.lat + d * Math.sin(a) * kmLat),
      address: `${countyName}${township.name}${roadName(rng)}${rng.int(1, 399)}号`,
      openYear,
      crowded: false,
      specialClass: false,
      weights,
      drift: DRIFT[locale] + 0.01 * rng.normal() + (isNew ? 0.06 : 0),
    };
  }

  function nameSchool(
    type: SchoolType,
    ownership: Ownership,
    locale: Locale,
    t: Township,
    special: boolean,
  ): string {
    for (let attempt = 0; attempt < 50; attempt++) {
      const n = pickName(type, ownership, locale, t, special, attempt);
      if (!usedNames.has(n)) {
        usedNames.add(n);
        return n + DEMO_MARK;
      }
    }
    const n = `${countyName}第${ordinal(next('fallback') + 50)}学校`;
    usedNames.add(n);
    return n + DEMO_MARK;
  }

  function pickName(
    type: SchoolType,
    ownership: Ownership,
    locale: Locale,
    t: Township,
    special: boolean,
    attempt: number,
  ): string {
    const ts = t.name;
    const tshort = shortTownship(ts);
    const brand = rng.pick(SCHOOL_BRANDS);
    const where = locale === 'urban' ? countyName : ts;
    if (special) return `${countyName}特殊教育学校`;
    if (ownership === 'private') {
      switch (type) {
        case 'kindergarten':
          return `${where}${rng.pick(KINDERGARTEN_BRANDS)}幼儿园`;
        case 'primary':
          return `${where}${brand}小学`;
        case 'nine_year':
          return `${where}${brand}${rng.pick(['学校', '实验学校', '双语学校'])}`;
        case 'junior':
          return `${where}${brand}中学`;
        case 'complete_secondary':
          return `${countyName}${brand}中学`;
        case 'senior':
          return `${countyName}${brand}高级中学`;
        case 'twelve_year':
          return `${countyName}${brand}${rng.pick(['外国语学校', '学校'])}`;
        case 'vocational':
          return `${countyName}${brand}职业中等专业学校`;
        default:
          return `${countyName}${brand}学校`;
      }
    }
    const village = () => `${tshort}${villageName(rng)}`;
    const urbanOrd = (k: string, first: string, pattern: (n: string) => string) => {
      const n = next(k);
      if (n === 1 && attempt === 0) return first;
      return rng.chance(0.3)
        ? `${countyName}${roadName(rng).replace(/(路|街|大道)$/, '路')}${first.endsWith('小学') ? '小学' : '学校'}`
        : pattern(ordinal(n));
    };
    switch (type) {
      case 'kindergarten':
        if (locale === 'urban')
          return urbanOrd('kg', `${countyName}实验幼儿园`, (o) => `${countyName}第${o}幼儿园`);
        if (locale === 'town')
          return attempt === 0 ? `${ts}中心幼儿园` : `${ts}第${ordinal(attempt + 1)}幼儿园`;
        return `${village()}幼儿园`;
      case 'primary':
        if (locale === 'urban')
          return urbanOrd(
            'p',
            `${countyName}实验小学`,
            (o) => `${countyName}第${o}${rng.chance(0.4) ? '实验' : ''}小学`,
          );
        if (locale === 'town') return attempt === 0 ? `${ts}中心小学` : `${ts}第${ordinal(attempt + 1)}小学`;
        return `${village()}小学`;
      case 'nine_year':
        if (locale === 'urban') return `${countyName}第${ordinal(next('n9'))}实验学校`;
        if (locale === 'town')
          return attempt === 0 ? `${ts}九年一贯制学校` : `${ts}第${ordinal(attempt + 1)}九年一贯制学校`;
        return `${village()}学校`;
      case 'junior':
        if (locale === 'urban') return `${countyName}第${ordinal(next('j'))}初级中学`;
        if (locale === 'town') return `${ts}第${ordinal(attempt + 1)}初级中学`;
        return `${village()}中学`;
      case 'complete_secondary':
        return `${countyName}第${ordinal(next('c'))}中学`;
      case 'senior': {
        const n = next('s');
        if (n === 1 && attempt === 0) return `${countyName}高级中学`;
        return locale === 'town' && attempt === 0
          ? `${countyName}${tshort}高级中学`
          : `${countyName}第${ordinal(n)}高级中学`;
      }
      case 'twelve_year':
        return `${countyName}${brand}学校`;
      case 'vocational': {
        const n = next('v');
        return n === 1 && attempt === 0
          ? `${countyName}职业技术教育中心`
          : `${countyName}第${ordinal(n)}职业高级中学`;
      }
      default:
        return `${countyName}学校`;
    }
  }
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** The streams a school type teaches. */
export function streamsOf(s: DemoSchool): Stream[] {
  return Object.keys(s.weights) as Stream[];
}
