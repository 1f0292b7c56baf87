import { Button, Card, Col, Flex, Popover, Row, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useIndicatorRegion, useIndicatorTrend } from '../api/indicator-queries.ts';
import type { IndicatorRegionView, IndicatorTrendView } from '../api/types.ts';
import { type ChartOption, EChart } from '../charts/echart.tsx';
import '../charts/line-chart.ts';
import { PageHeader } from '../components/page-header.tsx';
import { PageFallback } from '../components/states.tsx';
import { type Lang, useLang } from '../i18n/lang.tsx';
import { FigureDetails } from './indicators/figure-details.tsx';
import {
  figureKey,
  figureName,
  formatValue,
  STATUS_TAG,
  statusColor,
  targetText,
} from './indicators/format.ts';
import { IndicatorToolbar } from './indicators/indicator-toolbar.tsx';
import { RecordsDrawer, type RecordsTarget } from './indicators/records-drawer.tsx';
import { useIndicatorParams } from './indicators/region-year.tsx';
import './indicators/target-line.ts';
import '../i18n/messages/indicators.ts';

type Figure = IndicatorRegionView['figures'][number];

/** A small line of one figure over the census years with data, with its target dashed. */
function trendOption(trend: IndicatorTrendView, f: Figure, lang: Lang): ChartOption {
  const key = figureKey(f);
  const values = trend.points.map((p) => p.figures.find((x) => figureKey(x) === key)?.value ?? null);
  return {
    grid: { left: 2, right: 2, top: 6, bottom: 2 },
    tooltip: {
      trigger: 'axis',
      confine: true,
      valueFormatter: (v: unknown) => formatValue(typeof v === 'number' ? v : null, f.unit, lang) ?? '—',
    },
    xAxis: {
      type: 'category',
      data: trend.points.map((p) => String(p.year)),
      show: false,
      boundaryGap: false,
    },
    yAxis: { type: 'value', show: false, scale: true },
    series: [
      {
        type: 'line',
        data: values,
        smooth: true,
        symbol: 'circle',
        symbolSize: 4,
        connectNulls: false,
        lineStyle: { width: 2, color: statusColor(f.status) },
        itemStyle: { color: statusColor(f.status) },
        markLine: f.target
          ? {
              silent: true,
              symbol: 'none',
              label: { show: false },
              lineStyle: { type: 'dashed', color: '#8c8c8c' },
              data: [{ yAxis: f.target.threshold }],
            }
          : undefined,
      },
    ],
  };
}

function FigureCard({
  figure,
  trend,
  onRecords,
}: {
  figure: Figure;
  trend: IndicatorTrendView | undefined;
  onRecords: () => void;
}) {
  const { t, lang, pick } = useLang();
  const option = useMemo(() => (trend ? trendOption(trend, figure, lang) : null), [trend, figure, lang]);
  const value = formatValue(figure.value, figure.unit, lang);
  const key = figureKey(figure);
  return (
    <Card
      size="small"
      data-testid={`card-${key}`}
      style={{ borderLeft: `4px solid ${statusColor(figure.status)}`, height: '100%' }}
      title={
        <Typography.Text ellipsis={{ tooltip: true }} style={{ maxWidth: '100%' }}>
          {figureName(figure.definition, figure, lang)}
        </Typography.Text>
      }
      extra={
        figure.status ? (
          <Tag color={STATUS_TAG[figure.status]} data-testid="card-status">
            {t(`indicators.status.${figure.status}`)}
          </Tag>
        ) : null
      }
    >
      <Popover
        content={<FigureDetails figure={figure} definition={figure.definition} />}
        trigger={['hover', 'click']}
        placement="bottom"
      >
        <button
          type="button"
          data-testid="card-value"
          style={{ all: 'unset', cursor: 'help', display: 'block' }}
          aria-label={t('indicators.details')}
        >
          <Typography.Title level={3} style={{ margin: 0 }}>
            {value ?? <Typography.Text type="secondary">{t('indicators.notAvailable')}</Typography.Text>}
          </Typography.Title>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {figure.reason
              ? pick(figure.reason)
              : `${t('indicators.target')} ${targetText(figure, lang) ?? t('indicators.noTarget')}`}
          </Typography.Text>
        </button>
      </Popover>
      {option && trend && trend.points.length > 1 && (
        <EChart option={option} height={56} testId="card-trend" />
      )}
      <Flex justify="end">
        <Button
          type="link"
          size="small"
          onClick={onRecords}
          data-testid="card-records"
          style={{ padding: 0 }}
        >
          {t('indicators.records')}
        </Button>
      </Flex>
    </Card>
  );
}

/** The indicator dashboard: a card per indicator and stage for a region and year, each with its trend. */
export default function IndicatorsPage() {
  const { t, lang } = useLang();
  const p = useIndicatorParams();
  const { data, error, isPending, refetch } = useIndicatorRegion(p.region, p.year);
  const trend = useIndicatorTrend(data?.region.code ?? p.region);
  const [records, setRecords] = useState<RecordsTarget | null>(null);
  const header = (
    <PageHeader
      title={t('indicators.title')}
      sub={
        data
          ? data.year
            ? t('indicators.sub', { region: data.region.name, year: data.year })
            : t('indicators.subNoYear', { region: data.region.name })
          : undefined
      }
      extra={<IndicatorToolbar view={data} params={p} exportQuery={{ view: 'region' }} />}
    />
  );
  if (isPending || error)
    return <PageFallback header={header} error={error} onRetry={() => void refetch()} />;
  if (data.year === null || data.figures.length === 0)
    return <PageFallback header={header} empty={t('indicators.noData')} />;
  const year = data.year;
  return (
    <>
      {header}
      <Row gutter={[12, 12]} data-testid="indicator-cards">
        {data.figures.map((f) => (
          <Col xs={24} sm={12} xl={8} xxl={6} key={figureKey(f)}>
            <FigureCard
              figure={f}
              trend={trend.data}
              onRecords={() =>
                setRecords({
                  region: data.region,
                  year,
                  indicator: f.id,
                  stage: f.stage,
                  name: figureName(f.definition, f, lang),
                })
              }
            />
          </Col>
        ))}
      </Row>
      <RecordsDrawer target={records} onClose={() => setRecords(null)} />
    </>
  );
}
