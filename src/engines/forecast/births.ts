/**
 * Births behind the entry grades: an area's series by calendar year (missing years refused, years
 * after the last given one held at its value or projected by the births option) and the blend across
 * the age cut-off month.
 */
import type { ForecastArea, ForecastOptions } from './contract.ts';
import { BIRTHS_WORDS, forecastError } from './errors.ts';

type BirthsOption = NonNullable<ForecastOptions['births']>;
/** Births of one calendar year. */
export type BirthsOf = (year: number) => number;

type Given = { years: number[]; values: number[] };

/** Given values of a year-keyed record, sorted by year. */
function sortedSeries(rec: Record<string, number>): Given {
  const years = Object.keys(rec)
    .map(Number)
    .sort((a, b) => a - b);
  return { years, values: years.map((y) => rec[y]) };
}

/**
 * A series that refuses years before the first given one and gaps, and continues after the last
 * given year with what `beyond` makes of the given values (default: the last value held).
 */
function heldSeries(
  rec: Record<string, number>,
  missing: (year: number) => Error,
  beyond?: (given: Given) => BirthsOf,
): BirthsOf {
  const given = sortedSeries(rec);
  const last = given.years.at(-1);
  const after = beyond ? beyond(given) : () => given.values[given.values.length - 1];
  return (y) => {
    const v = rec[y];
    if (v !== undefined) return v;
    if (last === undefined || y < last) throw missing(y);
    return after(y);
  };
}

/** The area's births by calendar year, with the births option (if any) after the last given year. */
export function birthsSeries(area: ForecastArea, index: number, option?: BirthsOption): BirthsOf {
  const missing = (y: number) =>
    forecastError(
      'missing_births',
      { area: area.id, year: y, what: BIRTHS_WORDS },
      ['areas', index, 'births', String(y)],
      '缺少出生数',
      'the births are missing',
    );
  if (!option) return heldSeries(area.births, missing);
  return heldSeries(area.births, missing, (given) =>
    option.method === 'trend'
      ? trendBeyond(given.years, given.values, option.years)
      : fertilityBeyond(area, given.years, option),
  );
}

/** Least-squares line through the last `n` given births, floored at 0; one point gives a flat line. */
function trendBeyond(years: number[], values: number[], n: number): BirthsOf {
  const xs = years.slice(-n);
  const ys = values.slice(-n);
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
  const my = ys.reduce((s, y) => s + y, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return (y) => Math.max(0, my + slope * (y - mx));
}

/** Women aged 15–49 × births per 1,000 such women: the option's rate, or the area's own fitted one. */
function fertilityBeyond(
  area: ForecastArea,
  years: number[],
  option: Extract<BirthsOption, { method: 'fertility' }>,
): BirthsOf {
  const base = ['options', 'births'];
  const womenRec = option.women[area.id];
  if (!womenRec)
    throw forecastError(
      'missing_women',
      { area: area.id },
      [...base, 'women', area.id],
      '生育法推算出生数需要该区域的育龄妇女数',
      'the fertility method needs the women aged 15–49 of the area',
    );
  const women = heldSeries(womenRec, (y) =>
    forecastError(
      'missing_women',
      { area: area.id, year: y, what: { zh: '育龄妇女数', en: 'women aged 15–49' } },
      [...base, 'women', area.id, String(y)],
      '缺少育龄妇女数',
      'the women aged 15–49 are missing',
    ),
  );
  if (option.rate) {
    const rate = heldSeries(option.rate, (y) =>
      forecastError(
        'missing_rate',
        { year: y, what: { zh: '一般生育率', en: 'general fertility rate' } },
        [...base, 'rate', String(y)],
        '缺少一般生育率',
        'the general fertility rate is missing',
      ),
    );
    return (y) => (women(y) * rate(y)) / 1000;
  }
  // The area's own rate: the mean over its last given birth years that have women.
  const fitYears = years.filter((y) => womenRec[y] !== undefined).slice(-option.years);
  const rates = fitYears.map((y) => {
    if (womenRec[y] === 0)
      throw forecastError(
        'zero_women',
        { area: area.id, year: y, what: { zh: '育龄妇女数', en: 'women aged 15–49' } },
        [...base, 'women', area.id, String(y)],
        '为 0，无法计算生育率',
        'is 0, so no fertility rate can be fitted',
      );
    return (1000 * area.births[y]) / womenRec[y];
  });
  if (rates.length === 0)
    throw forecastError(
      'missing_women',
      { area: area.id },
      [...base, 'women', area.id],
      `没有与出生数（${years[0]}–${years.at(-1)} 年）同年的育龄妇女数，无法拟合生育率`,
      `no women aged 15–49 in a year with births (${years[0]}–${years.at(-1)}), so no rate can be fitted`,
    );
  const rate = rates.reduce((s, r) => s + r, 0) / rates.length;
  return (y) => (women(y) * rate) / 1000;
}

/**
 * B*(t) = (c × births(t − lag) + (12 − c) × births(t − lag − 1)) / 12 with c = cutoffMonth: a child
 * entering in September of t was born after month c of t − lag − 1 and by month c of t − lag.
 * With c = 12 the plain calendar-year lag, and the year before is not needed.
 */
export function blendedBirths(births: BirthsOf, t: number, lag: number, cutoffMonth: number): number {
  const near = births(t - lag);
  if (cutoffMonth === 12) return near;
  return (cutoffMonth * near + (12 - cutoffMonth) * births(t - lag - 1)) / 12;
}
