import { Card, Flex, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useParams } from 'react-router';
import { useAreaSeries, useBalance } from '../../api/forecast-queries.ts';
import type { BalanceView, SeriesView } from '../../api/types.ts';
import { type ChartOption, EChart } from '../../charts/echart.tsx';
// The base-year line and the scroll legend.
import '../../charts/forecast-lines.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorAlert, Loading, NotFoundResult } from '../../components/states.tsx';
import { type Translate, useLang } from '../../i18n/lang.tsx';
import { labelOf } from '../../labels.ts';
import { type Flags, flagSentences, formatCount, formatShare, LEVEL_COLORS, runIdOf } from './format.ts';
import { RunLinks, ViewExport } from './run-links.tsx';
import '../../i18n/messages/forecast.ts';

type StageSeries = SeriesView['stages'][number];
type Point = StageSeries['points'][number];
type Row = BalanceView['rows'][number];

const COLORS = {
  observed: '#1f4e8c',
  projected: '#1677ff',
  band: 'rgba(22,119,255,0.16)',
  seats: '#389e0d',
  delivery: '#d46b08',
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Demand against seats for one stage: observed pupils, the forecast with its interval shaded (a band
 * stacked on the lower bound), seats as a step line, project deliveries as pins on the seats line.
 */
function stageOption(s: StageSeries, baseYear: number, level: number | null, t: Translate): ChartOption {
  const years = s.points.map((p) => String(p.year));
  const at = new Map(s.points.map((p) => [p.year, p]));
  const bandName = level ? t('fc.interval', { level: Math.round(level * 100) }) : t('fc.intervalNone');
  // The forecast line starts at the base year's observed count, so the two lines meet.
  const projected = s.points.map((p) => (p.year === baseYear ? p.observed : p.projected));
  const deliveries = s.deliveries.map((d) => {
    const year = Math.max(d.deliveryYear, s.points[0]?.year ?? d.deliveryYear);
    return { value: [String(year), at.get(year)?.seats ?? null], delivery: d };
  });
  const tooltip = {
    trigger: 'axis',
    formatter: (params: { dataIndex: number }[]) => {
      const p: Point | undefined = s.points[params[0]?.dataIndex ?? -1];
      if (!p) return '';
      const lines = [`<b>${p.year}</b>`];
      if (p.observed != null) lines.push(`${t('fc.observed')}: ${formatCount(p.observed)}`);
      if (p.projected != null)
        lines.push(
          `${t('fc.projected')}: ${formatCount(p.projected)}` +
            (p.low != null && p.high != null ? ` (${formatCount(p.low)}–${formatCount(p.high)})` : ''),
        );
      if (p.seats != null) lines.push(`${t('fc.seats')}: ${formatCount(p.seats)}`);
      if (p.projectSeats) lines.push(`${t('fc.projectSeats')}: ${formatCount(p.projectSeats)}`);
      for (const d of s.deliveries.filter((x) => x.deliveryYear === p.year))
        lines.push(`📍 ${escapeHtml(deliveryText(d, t))}`);
      return lines.join('<br/>');
    },
  };
  return {
    tooltip,
    legend: { top: 0, left: 0, type: 'scroll' },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: years, boundaryGap: false },
    yAxis: { type: 'value', scale: true, splitLine: { lineStyle: { type: 'dashed' } } },
    series: [
      {
        name: t('fc.observed'),
        type: 'line',
        data: s.points.map((p) => p.observed),
        symbolSize: 4,
        color: COLORS.observed,
      },
      {
        name: bandName,
        type: 'line',
        stack: 'band',
        data: s.points.map((p) => p.low),
        lineStyle: { opacity: 0 },
        symbol: 'none',
        color: COLORS.band,
      },
      {
        name: bandName,
        type: 'line',
        stack: 'band',
        data: s.points.map((p) => (p.low != null && p.high != null ? p.high - p.low : null)),
        lineStyle: { opacity: 0 },
        areaStyle: { color: COLORS.band },
        symbol: 'none',
        color: COLORS.band,
      },
      {
        name: t('fc.projected'),
        type: 'line',
        data: projected,
        lineStyle: { type: 'dashed' },
        symbolSize: 4,
        color: COLORS.projected,
      },
      {
        name: t('fc.seats'),
        type: 'line',
        step: 'end',
        data: s.points.map((p) => p.seats),
        connectNulls: true,
        symbol: 'none',
        color: COLORS.seats,
      },
      {
        name: t('fc.deliveries'),
        type: 'scatter',
        symbol: 'pin',
        symbolSize: 26,
        data: deliveries,
        color: COLORS.delivery,
      },
    ],
  };
}

function deliveryText(d: StageSeries['deliveries'][number], t: Translate): string {
  const status = t(`fc.status.${d.status}`) + (d.counts ? '' : `，${t('fc.deliveryNotCounted')}`);
  return t('fc.delivery', { name: d.name, year: d.deliveryYear, seats: formatCount(d.seats), status });
}

function StageCard({
  s,
  flags,
  rows,
  run,
}: {
  s: StageSeries;
  flags: Flags | undefined;
  rows: Row[];
  run: SeriesView['run'];
}) {
  const { t, lang } = useLang();
  const option = useMemo(() => stageOption(s, run.baseYear, run.intervalLevel, t), [s, run, t]);
  const band = new Map(s.points.map((p) => [p.year, p]));
  return (
    <Card
      title={
        <Flex gap={8} align="center" wrap>
          {labelOf('stage', s.stage, lang)}
          {flags && <Tag color={LEVEL_COLORS[flags.level]}>{t(`fc.level.${flags.level}`)}</Tag>}
        </Flex>
      }
      style={{ marginBottom: 16 }}
      data-testid={`stage-${s.stage}`}
    >
      {flags && (
        <ul style={{ marginTop: 0, paddingInlineStart: 18 }} data-testid={`flags-${s.stage}`}>
          {flagSentences(flags, run.baseYear, t).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      <EChart option={option} height={320} testId={`chart-${s.stage}`} />
      <Typography.Paragraph type="secondary" style={{ margin: '8px 0' }}>
        {run.intervalLevel != null && t('fc.intervalNote', { level: Math.round(run.intervalLevel * 100) })}
      </Typography.Paragraph>
      <Typography.Paragraph style={{ marginBottom: 8 }}>
        <b>{t('fc.deliveries')}：</b>
        {s.deliveries.length === 0
          ? t('fc.noDeliveries')
          : s.deliveries.map((d) => deliveryText(d, t)).join('；')}
      </Typography.Paragraph>
      <Table<Row>
        size="small"
        rowKey="year"
        dataSource={rows}
        pagination={false}
        scroll={{ x: 640 }}
        columns={[
          {
            title: t('fc.year'),
            dataIndex: 'year',
            render: (y: number, r) => (r.observed ? `${y}（${t('fc.baseLine')}）` : y),
          },
          {
            title: t('fc.pupils'),
            dataIndex: 'pupils',
            align: 'right',
            render: (v: number, r) => {
              const p = band.get(r.year);
              return p?.low != null && p.high != null
                ? `${formatCount(v)} (${formatCount(p.low)}–${formatCount(p.high)})`
                : formatCount(v);
            },
          },
          { title: t('fc.seats'), dataIndex: 'seats', align: 'right', render: formatCount },
          {
            title: t('fc.gap'),
            dataIndex: 'gap',
            align: 'right',
            render: (v: number) => (
              <span style={{ color: v < 0 ? '#cf1322' : undefined }}>{formatCount(v)}</span>
            ),
          },
          {
            title: t('fc.avgClass'),
            dataIndex: 'averageClassSize',
            align: 'right',
            render: (v: number | null) => (v == null ? '—' : v.toFixed(1)),
          },
          { title: t('fc.largeShare'), dataIndex: 'largeClassShare', align: 'right', render: formatShare },
        ]}
      />
    </Card>
  );
}

/** One area of a run: per stage, demand (observed, forecast with its interval) against seats and deliveries. */
export default function ForecastAreaPage() {
  const { t } = useLang();
  const params = useParams();
  const id = runIdOf(params.id);
  const area = params.area ?? '';
  const series = useAreaSeries(id, area);
  const balance = useBalance(id, { area });
  if (Number.isNaN(id)) return <NotFoundResult />;
  const data = series.data;
  const first = data?.stages[0]?.points[0]?.year;
  return (
    <>
      <PageHeader
        title={t('fc.area.title', { area: data?.area.name ?? area })}
        sub={
          data &&
          t('fc.area.sub', {
            run: data.run.name ?? '',
            from: first ?? data.run.baseYear,
            base: data.run.baseYear,
            to: data.run.baseYear + data.run.horizon,
          })
        }
        extra={
          <>
            <RunLinks run={id} current="area" />
            <ViewExport runs={[id]} area={area} />
          </>
        }
      />
      {series.isPending ? (
        <Card>
          <Loading rows={10} />
        </Card>
      ) : series.error || !data ? (
        <ErrorAlert error={series.error} onRetry={() => void series.refetch()} />
      ) : data.stages.length === 0 ? (
        <Card>
          <EmptyState description={t('fc.area.empty')} />
        </Card>
      ) : (
        data.stages.map((s) => (
          <StageCard
            key={s.stage}
            s={s}
            run={data.run}
            flags={balance.data?.flags.find((f) => f.stage === s.stage)}
            rows={(balance.data?.rows ?? []).filter((r) => r.stage === s.stage)}
          />
        ))
      )}
    </>
  );
}
