import type { IndicatorDefinitionView, IndicatorFigure } from '../../api/types.ts';
import type { Lang } from '../../i18n/lang.tsx';
import { labelOf } from '../../labels.ts';

/** A figure's key among a region's results: id, and the stage for per-stage indicators. */
export const figureKey = (f: { id: string; stage: string | null }) => (f.stage ? `${f.id}:${f.stage}` : f.id);

export function parseFigureKey(key: string): { id: string; stage: string | null } {
  const [id, stage] = key.split(':');
  return { id, stage: stage ?? null };
}

/** 学前三年毛入园率, or 大班额比例（小学） for a per-stage figure. */
export function figureName(
  d: IndicatorDefinitionView | undefined,
  f: { id: string; stage: string | null },
  lang: Lang,
) {
  const name = d ? (lang === 'zh' ? d.zh : d.en) : f.id;
  if (!f.stage) return name;
  const stage = labelOf('stage', f.stage, lang);
  return lang === 'zh' ? `${name}（${stage}）` : `${name} (${stage})`;
}

const two = (lang: Lang) =>
  new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en', {
    maximumFractionDigits: 2,
    minimumFractionDigits: 2,
  });
const upTo2 = (lang: Lang) =>
  new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 2 });

/** 93.16%, 15.20 : 1, or a count; null for a figure that is not available. */
export function formatValue(value: number | null, unit: IndicatorFigure['unit'], lang: Lang): string | null {
  if (value === null) return null;
  if (unit === 'percent') return `${two(lang).format(value)}%`;
  if (unit === 'ratio') return `${two(lang).format(value)} : 1`;
  return upTo2(lang).format(value);
}

/** Numerators and denominators: whole pupils, or teachers shared by stage (fractional). */
export const formatCount = (n: number | null, lang: Lang) => (n === null ? '—' : upTo2(lang).format(n));

export function targetText(f: Pick<IndicatorFigure, 'target' | 'unit'>, lang: Lang): string | null {
  if (!f.target) return null;
  return `${f.target.comparator === 'at_least' ? '≥' : '≤'} ${formatValue(f.target.threshold, f.unit, lang)}`;
}

/** antd Tag colours and plain colours (charts) for the status of a figure against its target. */
export const STATUS_TAG = { met: 'success', close: 'warning', not_met: 'error' } as const;
export const STATUS_COLOR = { met: '#389e0d', close: '#d48806', not_met: '#cf1322' } as const;
export const NO_STATUS_COLOR = '#8c8c8c';
export const statusColor = (s: IndicatorFigure['status']) => (s ? STATUS_COLOR[s] : NO_STATUS_COLOR);

/** Lower is better for an at-most target (large classes): rank those ascending. */
export const lowerIsBetter = (f: Pick<IndicatorFigure, 'target'> | undefined) =>
  f?.target?.comparator === 'at_most';
