import type { BalanceView, RunView } from '../../api/types.ts';
import type { Translate } from '../../i18n/lang.tsx';
import '../../i18n/messages/forecast.ts';

export type Flags = BalanceView['flags'][number];
export type FlagLevel = Flags['level'];

export const LEVEL_COLORS: Record<FlagLevel, string> = {
  high: 'red',
  medium: 'orange',
  low: 'gold',
  none: 'default',
};

const whole = (x: number) => Math.round(x).toLocaleString('zh-CN');
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

export const formatCount = (x: number | null | undefined) => (x == null ? '—' : whole(x));
export const formatShare = (x: number | null | undefined) => (x == null ? '—' : percent(x));

/**
 * The flags of one area and stage in words: 缺口, 大班额风险, 持续富余 and 需求峰值年, as the balance
 * (src/forecast/balance.ts) defines them.
 */
export function flagSentences(f: Flags, baseYear: number, t: Translate): string[] {
  const out: string[] = [];
  if (f.shortfall)
    out.push(
      t('fc.flag.shortfall', {
        first: f.shortfall.firstYear,
        seats: whole(f.shortfall.seats),
        worst: f.shortfall.worstYear,
        worstSeats: whole(f.shortfall.worstSeats),
      }),
    );
  if (f.largeClass)
    out.push(
      t('fc.flag.largeClass', { first: f.largeClass.firstYear, share: percent(f.largeClass.worstShare) }),
    );
  if (f.surplus)
    out.push(
      t('fc.flag.surplus', {
        from: f.surplus.from,
        to: f.surplus.to,
        share: percent(f.surplus.emptyShare),
        seats: whole(f.surplus.emptySeats),
      }),
    );
  const peak = { year: f.peak.year, pupils: whole(f.peak.pupils) };
  out.push(f.peak.year === baseYear ? t('fc.flag.peakBase', peak) : t('fc.flag.peak', peak));
  return out;
}

/** The projected years of a run: the base year (observed) and each year ahead. */
export function runYears(run: Pick<RunView, 'baseYear' | 'horizon'>): number[] {
  return Array.from({ length: run.horizon + 1 }, (_, i) => run.baseYear + i);
}

/** A run's id from the address, or NaN (the pages then show "not found"). */
export function runIdOf(param: string | undefined): number {
  return /^\d+$/.test(param ?? '') ? Number(param) : Number.NaN;
}
