import { Card, Flex, Select, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useComparison, useForecastRuns } from '../../api/forecast-queries.ts';
import type { CompareView } from '../../api/types.ts';
import { type ChartOption, EChart } from '../../charts/echart.tsx';
import { StageSelect } from './stage-select.tsx';
// The scroll legend, for a page opened directly.
import '../../charts/forecast-lines.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorAlert, Loading } from '../../components/states.tsx';
import { useSearchState } from '../../components/use-search-state.ts';
import { type Translate, useLang } from '../../i18n/lang.tsx';
import { labelOf } from '../../labels.ts';
import { formatCount } from './format.ts';
import { ViewExport } from './run-links.tsx';
import '../../i18n/messages/forecast.ts';

type Row = CompareView['rows'][number];

const PALETTE = ['#1677ff', '#d46b08', '#389e0d', '#722ed1', '#cf1322', '#08979c'];

/** Pupils of each run over the years (solid), and each run's seats (dotted, same colour). */
function compareOption(v: CompareView, rows: Row[], t: Translate): ChartOption {
  const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b);
  const at = new Map(rows.map((r) => [r.year, r]));
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, left: 0, type: 'scroll' },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: years.map(String), boundaryGap: false },
    yAxis: { type: 'value', scale: true, splitLine: { lineStyle: { type: 'dashed' } } },
    series: v.runs.flatMap((run, i) => [
      {
        name: `${run.name} · ${t('fc.pupils')}`,
        type: 'line',
        data: years.map((y) => (at.get(y)?.cells[i] ? Math.round(at.get(y)!.cells[i]!.pupils) : null)),
        color: PALETTE[i % PALETTE.length],
        symbolSize: 4,
      },
      {
        name: `${run.name} · ${t('fc.seats')}`,
        type: 'line',
        step: 'end',
        data: years.map((y) => at.get(y)?.cells[i]?.seats ?? null),
        color: PALETTE[i % PALETTE.length],
        lineStyle: { type: 'dotted' },
        symbol: 'none',
      },
    ]),
  };
}

/** Two or more runs side by side for one area and stage: pupils, seats and gap per year. */
export default function ForecastComparePage() {
  const { t, lang } = useLang();
  const [s, update] = useSearchState(['runs', 'area', 'stage'] as const);
  const runs = useMemo(
    () =>
      (s.runs ?? '')
        .split(',')
        .filter((x) => /^\d+$/.test(x))
        .map(Number),
    [s.runs],
  );
  const list = useForecastRuns();
  const stage = s.stage ?? 'primary';
  const { data, error, isPending, refetch, fetchStatus } = useComparison({ runs, stage });
  // The area shown: the one asked for, else the first that every run has.
  const area =
    s.area ?? data?.rows.find((r) => r.cells.every((c) => c !== null))?.area ?? data?.rows[0]?.area;
  const rows = useMemo(() => (data ? data.rows.filter((r) => r.area === area) : []), [data, area]);
  const option = useMemo(() => (data && rows.length ? compareOption(data, rows, t) : null), [data, rows, t]);

  const columns: ColumnsType<Row> = [
    { title: t('fc.year'), dataIndex: 'year', fixed: 'left', width: 72 },
    ...(data?.runs ?? []).map((run, i) => ({
      title: run.name,
      key: `run-${i}`,
      children: (['pupils', 'seats', 'gap'] as const).map((k) => ({
        title: t(k === 'pupils' ? 'fc.pupils' : k === 'seats' ? 'fc.seats' : 'fc.gap'),
        key: `${i}-${k}`,
        align: 'right' as const,
        render: (_: unknown, r: Row) => {
          const c = r.cells[i];
          if (!c) return t('fc.compare.missing');
          const v = c[k];
          return k === 'gap' ? (
            <span style={{ color: v < 0 ? '#cf1322' : undefined }}>{formatCount(v)}</span>
          ) : (
            formatCount(v)
          );
        },
      })),
    })),
  ];

  return (
    <>
      <PageHeader
        title={t('fc.compare.title')}
        sub={t('fc.compare.sub')}
        extra={<ViewExport runs={runs.length >= 2 ? runs : []} area={area} stage={stage} />}
      />
      <Card
        title={
          <Flex wrap gap={8}>
            <Select
              mode="multiple"
              placeholder={t('fc.compare.pick')}
              value={runs}
              onChange={(v: number[]) => update({ runs: v.join(','), area: undefined })}
              options={(list.data?.runs ?? []).map((r) => ({
                value: r.id,
                label: `${r.name}（${r.regionName}）`,
              }))}
              loading={list.isPending}
              style={{ minWidth: 240, maxWidth: '100%' }}
              aria-label={t('fc.compare.runs')}
              data-testid="compare-runs"
            />
            <Select
              value={area}
              onChange={(v) => update({ area: v })}
              options={(data?.areas ?? [])
                .filter((a) => data?.rows.some((r) => r.area === a.id))
                .map((a) => ({ value: a.id, label: a.name }))}
              showSearch={{ optionFilterProp: 'label' }}
              style={{ width: 180 }}
              aria-label={t('fc.area')}
              data-testid="compare-area"
            />
            <StageSelect value={stage} onChange={(v) => update({ stage: v })} data-testid="compare-stage" />
          </Flex>
        }
      >
        {runs.length < 2 ? (
          <EmptyState description={t('fc.runs.pickTwo')} />
        ) : isPending && fetchStatus !== 'idle' ? (
          <Loading rows={8} />
        ) : error ? (
          <ErrorAlert error={error} onRetry={() => void refetch()} />
        ) : !data || rows.length === 0 ? (
          <EmptyState description={t('fc.compare.empty')} />
        ) : (
          <>
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              {t('fc.compare.chart')} · {data.areas.find((a) => a.id === area)?.name} ·{' '}
              {labelOf('stage', stage, lang)}
            </Typography.Title>
            {option && <EChart option={option} height={300} testId="compare-chart" />}
            <Table<Row>
              size="small"
              rowKey="year"
              dataSource={rows}
              columns={columns}
              pagination={false}
              bordered
              scroll={{ x: 'max-content' }}
              style={{ marginTop: 16 }}
              data-testid="compare-table"
            />
          </>
        )}
      </Card>
    </>
  );
}
