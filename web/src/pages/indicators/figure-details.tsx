import { Descriptions, Typography } from 'antd';
import type { IndicatorDefinitionView, IndicatorFigure } from '../../api/types.ts';
import { useLang } from '../../i18n/lang.tsx';
import { formatCount, targetText } from './format.ts';
import '../../i18n/messages/indicators.ts';

/** What a figure means and how it was counted: formula, numerator and denominator with their values. */
export function FigureDetails({
  figure,
  definition,
}: {
  figure: IndicatorFigure;
  definition: IndicatorDefinitionView;
}) {
  const { t, lang, pick } = useLang();
  const items = [
    { key: 'formula', label: t('indicators.formula'), children: definition.formula },
    {
      key: 'numerator',
      label: t('indicators.numerator'),
      children: (
        <>
          <b style={{ whiteSpace: 'nowrap' }}>{formatCount(figure.numerator, lang)}</b> ·{' '}
          {definition.numerator}
        </>
      ),
    },
    {
      key: 'denominator',
      label: t('indicators.denominator'),
      children: (
        <>
          <b style={{ whiteSpace: 'nowrap' }}>{formatCount(figure.denominator, lang)}</b> ·{' '}
          {definition.denominator}
        </>
      ),
    },
    ...(figure.reason
      ? [{ key: 'reason', label: t('indicators.reason'), children: pick(figure.reason) }]
      : []),
    {
      key: 'target',
      label: t('indicators.target'),
      children: figure.target
        ? `${targetText(figure, lang)} · ${figure.target.source}`
        : t('indicators.noTarget'),
    },
    { key: 'source', label: t('indicators.source'), children: definition.source },
  ];
  return (
    <div style={{ maxWidth: 420 }} data-testid="figure-details">
      <Typography.Text strong>{lang === 'zh' ? definition.zh : definition.en}</Typography.Text>
      <Descriptions size="small" column={1} items={items} style={{ marginTop: 8 }} />
    </div>
  );
}
