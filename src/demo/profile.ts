/**
 * The demo city's profile: 商丘市's nine real county-level divisions with invented but plausible
 * sizes, the city's birth curve, and the 2023 targets from the bureau head's report (seed).
 * Everything here is configuration of the synthetic generator, not real statistics.
 */

export const DEMO_CITY_CODE = '411400';
export const DEMO_CITY_NAME = '商丘市';

/** Census years written; 2013 is the first so that the 2023 retention rate finds its 2014 intake. */
export const FIRST_YEAR = 2013;
export const CURRENT_YEAR = 2025;
export const YEARS: readonly number[] = Array.from(
  { length: CURRENT_YEAR - FIRST_YEAR + 1 },
  (_, i) => FIRST_YEAR + i,
);
/** Births written to the births table. */
export const FIRST_BIRTH_YEAR = 2005;
/** Years that get class rows (the class-size indicators look at recent years). */
export const FIRST_CLASS_YEAR = 2021;
/** Population rows: single ages 0–22. */
export const MAX_POPULATION_AGE = 22;
/** The instant written as schools.updated_at: the autumn-2025 snapshot, fixed for determinism. */
export const AS_OF = '2025-09-01T00:00:00.000Z';

export interface CountyProfile {
  code: string;
  name: string;
  /** County seat, degrees. */
  lng: number;
  lat: number;
  /** Share of the city's births (sums to 1 over the nine). */
  share: number;
  /** Urbanisation of schooling: raises urban school counts and sizes. */
  urban: number;
  /** Log-factor of net child migration by school age: negative = net exporter (most of Henan). */
  migration: number;
  /** Migrant workers' children coming in (随迁子女), relative to the city average. */
  migrantInflow: number;
  /** Offsets (fractions) of each county around the city targets, normalised away in the aggregate. */
  offsets: {
    kindergarten: number;
    retention: number;
    senior: number;
    afterSchool: number;
    migrantPublic: number;
  };
  /** Share of senior-secondary pupils in vocational schools. */
  vocational: number;
  /** Digit d of the fake ID-number prefix 41149d (商丘 has no county code 41149x). */
  idDigit: number;
}

export const COUNTIES: readonly CountyProfile[] = [
  {
    code: '411402',
    name: '梁园区',
    lng: 115.613,
    lat: 34.443,
    share: 0.112,
    urban: 0.8,
    migration: 0.03,
    migrantInflow: 2.4,
    vocational: 0.44,
    idDigit: 0,
    offsets: { kindergarten: 0.05, retention: 0.006, senior: 0.03, afterSchool: 0.02, migrantPublic: -0.02 },
  },
  {
    code: '411403',
    name: '睢阳区',
    lng: 115.653,
    lat: 34.388,
    share: 0.114,
    urban: 0.7,
    migration: 0.0,
    migrantInflow: 1.9,
    vocational: 0.42,
    idDigit: 1,
    offsets: {
      kindergarten: 0.03,
      retention: 0.004,
      senior: 0.02,
      afterSchool: 0.015,
      migrantPublic: -0.012,
    },
  },
  {
    code: '411421',
    name: '民权县',
    lng: 115.148,
    lat: 34.648,
    share: 0.1,
    urban: 0.45,
    migration: -0.1,
    migrantInflow: 0.6,
    vocational: 0.4,
    idDigit: 2,
    offsets: {
      kindergarten: -0.01,
      retention: -0.002,
      senior: -0.01,
      afterSchool: -0.01,
      migrantPublic: 0.01,
    },
  },
  {
    code: '411422',
    name: '睢县',
    lng: 115.072,
    lat: 34.445,
    share: 0.092,
    urban: 0.42,
    migration: -0.11,
    migrantInflow: 0.5,
    vocational: 0.41,
    idDigit: 3,
    offsets: {
      kindergarten: -0.02,
      retention: -0.004,
      senior: -0.015,
      afterSchool: -0.012,
      migrantPublic: 0.012,
    },
  },
  {
    code: '411423',
    name: '宁陵县',
    lng: 115.313,
    lat: 34.46,
    share: 0.068,
    urban: 0.4,
    migration: -0.12,
    migrantInflow: 0.45,
    vocational: 0.43,
    idDigit: 4,
    offsets: {
      kindergarten: -0.03,
      retention: -0.006,
      senior: -0.02,
      afterSchool: -0.015,
      migrantPublic: 0.015,
    },
  },
  {
    code: '411424',
    name: '柘城县',
    lng: 115.305,
    lat: 34.091,
    share: 0.106,
    urban: 0.45,
    migration: -0.1,
    migrantInflow: 0.6,
    vocational: 0.39,
    idDigit: 5,
    offsets: { kindergarten: 0.0, retention: 0.002, senior: 0.0, afterSchool: 0.005, migrantPublic: 0.005 },
  },
  {
    code: '411425',
    name: '虞城县',
    lng: 115.863,
    lat: 34.4,
    share: 0.118,
    urban: 0.42,
    migration: -0.11,
    migrantInflow: 0.55,
    vocational: 0.4,
    idDigit: 6,
    offsets: {
      kindergarten: -0.01,
      retention: -0.003,
      senior: -0.01,
      afterSchool: -0.008,
      migrantPublic: 0.008,
    },
  },
  {
    code: '411426',
    name: '夏邑县',
    lng: 116.13,
    lat: 34.237,
    share: 0.122,
    urban: 0.4,
    migration: -0.12,
    migrantInflow: 0.5,
    vocational: 0.41,
    idDigit: 7,
    offsets: {
      kindergarten: -0.02,
      retention: -0.004,
      senior: -0.015,
      afterSchool: -0.01,
      migrantPublic: 0.01,
    },
  },
  {
    code: '411481',
    name: '永城市',
    lng: 116.449,
    lat: 33.929,
    share: 0.168,
    urban: 0.6,
    migration: -0.05,
    migrantInflow: 1.2,
    vocational: 0.38,
    idDigit: 8,
    offsets: {
      kindergarten: 0.02,
      retention: 0.003,
      senior: 0.015,
      afterSchool: 0.01,
      migrantPublic: -0.008,
    },
  },
];

export const DEMO_SCALES = ['small', 'county', 'city'] as const;
export type DemoScale = (typeof DEMO_SCALES)[number];

export interface ScaleProfile {
  counties: readonly string[];
  /** Multiplier on the real-size county (births, population, schools). */
  factor: number;
}

/**
 * small: two counties (the central urban district and a rural county) at 12% of their size, a few
 * dozen schools, for tests; county: 柘城县 at full size (≈160 schools); city: all nine (≈1,500 schools).
 */
export const SCALES: Record<DemoScale, ScaleProfile> = {
  small: { counties: ['411402', '411423'], factor: 0.12 },
  county: { counties: ['411424'], factor: 1 },
  city: { counties: COUNTIES.map((c) => c.code), factor: 1 },
};

/**
 * The city's births (thousands) by calendar year: Henan's curve, peaking with the two-child policy
 * in 2016 and falling to about half by 2023–2025. 1990–2004 only feed the population table.
 */
const CITY_BIRTHS_K: Record<number, number> = {
  1990: 160,
  1991: 150,
  1992: 140,
  1993: 132,
  1994: 126,
  1995: 122,
  1996: 118,
  1997: 114,
  1998: 110,
  1999: 106,
  2000: 102,
  2001: 100,
  2002: 101,
  2003: 102,
  2004: 105,
  2005: 108,
  2006: 110,
  2007: 112,
  2008: 115,
  2009: 116,
  2010: 114,
  2011: 115,
  2012: 120,
  2013: 118,
  2014: 124,
  2015: 117,
  2016: 128,
  2017: 125,
  2018: 112,
  2019: 104,
  2020: 84,
  2021: 72,
  2022: 66,
  2023: 60,
  2024: 62,
  2025: 57,
};
export const FIRST_MODEL_YEAR = 1990;

export function cityBirths(year: number): number {
  const v = CITY_BIRTHS_K[year];
  if (v === undefined) throw new Error(`no demo births for ${year}`);
  return v * 1000;
}

/** The 2023 targets: the Shangqiu figures in the seed (rates as fractions). */
export const TARGETS_2023 = {
  kindergarten: 0.9316, // 学前三年毛入园率
  retention: 0.9796, // 九年义务教育巩固率
  senior: 0.9286, // 高中阶段毛入学率
  afterSchool: 0.9525, // 课后服务参与率
  migrantPublic: 0.9452, // 随迁子女就读公办比例
} as const;
export type Indicator = keyof typeof TARGETS_2023;

/** The city's trajectory of each indicator by year; 2023 is the target itself. Retention is by cohort. */
export function cityTrajectory(ind: Indicator, year: number): number {
  const t = TARGETS_2023[ind];
  const d = year - 2023;
  switch (ind) {
    case 'kindergarten': // rising fast in the 2010s, flattening
      return d >= 0 ? t + 0.003 * d : t - 0.125 * (1 - Math.exp(0.16 * d)) - 0.0;
    case 'senior':
      return d >= 0 ? t + 0.0035 * d : t - 0.09 * (1 - Math.exp(0.12 * d));
    case 'retention': // `year` is the grade-1 intake year of the cohort; 2014 → graduates of 2023
      return Math.min(0.99, t + 0.0022 * (year - 2014));
    case 'afterSchool': {
      const byYear: Record<number, number> = {
        2013: 0,
        2014: 0,
        2015: 0,
        2016: 0,
        2017: 0.32,
        2018: 0.46,
        2019: 0.55,
        2020: 0.58,
        2021: 0.86,
        2022: 0.918,
        2023: t,
        2024: 0.958,
        2025: 0.962,
      };
      return byYear[year] ?? t;
    }
    case 'migrantPublic':
      return d >= 0 ? t + 0.004 * d : t - 0.06 * (1 - Math.exp(0.15 * d));
  }
}
