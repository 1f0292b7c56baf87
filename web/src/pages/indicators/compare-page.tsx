import { Button, Card, Select, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { withQuery } from '../../api/client.ts';
import { useIndicatorChildren } from '../../api/indicator-queries.ts';
import type { IndicatorChildrenView, IndicatorFigure, IndicatorRegionRef } from '../../api/types.ts';
import { type ChartOption, EChart } from '../../charts/echart.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { PageFallback } from '../../components/states.tsx';
import { type Lang, useLang } from '../../i18n/lang.tsx';
import {
  figureKey,
  figureName,
  formatCount,
  formatValue,
  lowerIsBetter,
  parseFigureKey,
  STATUS_TAG,
  statusColor,
  targetText,
} from './format.ts';
import { IndicatorToolbar } from './indicator-toolbar.tsx';
import { RecordsDrawer, type RecordsTarget } from './records-drawer.tsx';
import { useIndicatorParams } from './region-year.tsx';
import './target-line.ts';
import '../../i18n/messages/indicators.ts';

const DEFAULT_INDICATOR = 'preschool_ger';

interface Ranked {
  rank: number | null;
  region: IndicatorRegionRef;
  figure: IndicatorFigure | undefined;
}

/** The children ranked by the figure: best first (highest, or lowest for an at-most target); not available last. */
function rank(v: IndicatorChildrenView, key: string): Ranked[] {
  const pick = (figures: IndicatorFigure[]) => figures.find((f) => figureKey(f) === key);
  const asc = lowerIsBetter(pick(v.total));
  const rows = v.children.map((c) => ({ region: c.region, figure: pick(c.figures) }));
  rows.sort((a, b) => {
    const x = a.figure?.value ?? null;
    const y = b.figure?.value ?? null;
    if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
    return asc ? x - y : y - x;
  });
  return rows.map((r, i) => ({ ...r, rank: (r.figure?.value ?? null) === null ? null : i + 1 }));
}

function barOption(
  rows: Ranked[],
  total: IndicatorFigure | undefined,
  lang: Lang,
  targetLabel: string,
): ChartOption {
  const shown = [...rows].reverse(); // the category axis runs bottom-up: the best at the top
  const unit = total?.unit ?? 'percent';
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: unknown) => formatValue(typeof v === 'number' ? v : null, unit, lang) ?? '—',
    },
    grid: { left: 8, right: 72, top: 16, bottom: 8, containLabel: true },
    yAxis: { type: 'category', data: shown.map((r) => r.region.name) },
    xAxis: { type: 'value', scale: unit === 'ratio' },
    series: [
      {
        type: 'bar',
        barMaxWidth: 26,
        data: shown.map((r) => ({
          value: r.figure?.value ?? null,
          itemStyle: { color: statusColor(r.figure?.status ?? null) },
          label: {
            show: true,
            position: 'right',
            formatter: formatValue(r.figure?.value ?? null, unit, lang) ?? '—',
          },
        })),
        markLine: total?.target
          ? {
              symbol: 'none',
              lineStyle: { type: 'dashed', color: '#595959' },
              label: { formatter: targetLabel, position: 'end' },
              data: [{ xAxis: total.target.threshold }],
            }
          : undefined,
      },
    ],
  };
}

/** County comparison: the regions one level down ranked by one indicator, with the target line. */
export default function IndicatorComparePage() {
  const { t, lang } = useLang();
  const navigate = useNavigate();
  const p = useIndicatorParams();
  const key = p.indicator ?? DEFAULT_INDICATOR;
  const { id, stage } = parseFigureKey(key);
  const { data, error, isPending, refetch } = useIndicatorChildren(p.region, p.year);
  const [records, setRecords] = useState<RecordsTarget | null>(null);
  const definition = data?.definitions.find((d) => d.id === id);
  const name = figureName(definition, { id, stage }, lang);
  const total = data?.total.find((f) => figureKey(f) === key);
  const rows = useMemo(() => (data ? rank(data, key) : []), [data, key]);
  const option = useMemo(
    () =>
      barOption(
        rows,
        total,
        lang,
        t('indicators.targetLine', { target: total ? (targetText(total, lang) ?? '') : '' }),
      ),
    [rows, total, lang, t],
  );
  const options = (data?.definitions ?? []).flatMap((d) =>
    (d.stages.length ? d.stages : [null]).map((s) => ({
      value: figureKey({ id: d.id, stage: s }),
      label: figureName(d, { id: d.id, stage: s }, lang),
    })),
  );
  const drill = (code: string) =>
    navigate(withQuery('/indicators/drill', { region: code, year: data?.year }));
  const openRecords = (region: IndicatorRegionRef) =>
    data?.year && setRecords({ region, year: data.year, indicator: id, stage, name });

  const header = (
    <PageHeader
      title={t('indicators.compareTitle')}
      sub={data?.year ? t('indicators.compareSub', { region: data.region.name, year: data.year }) : undefined}
      extra={
        <IndicatorToolbar
          view={data}
          params={p}
          exportQuery={{ view: 'children', indicator: id, stage: stage ?? undefined }}
        >
          <Select
            value={key}
            onChange={(v) => p.update({ indicator: v })}
            options={options}
            showSearch={{ optionFilterProp: 'label' }}
            aria-label={t('indicators.indicator')}
            style={{ width: 260, maxWidth: '100%' }}
            data-testid="compare-indicator"
          />
        </IndicatorToolbar>
      }
    />
  );
  if (isPending || error)
    return <PageFallback header={header} error={error} onRetry={() => void refetch()} />;
  if (data.year === null || data.children.length === 0)
    return (
      <PageFallback
        header={header}
        empty={data.year === null ? t('indicators.noData') : t('indicators.noChildren')}
      />
    );
  return (
    <>
      {header}
      <Card title={name} style={{ marginBottom: 16 }}>
        <EChart
          option={option}
          height={Math.max(200, rows.length * 34 + 40)}
          testId="compare-chart"
          onClick={(e) => {
            const row = rows.find((r) => r.region.name === e.name);
            if (row) drill(row.region.code);
          }}
        />
      </Card>
      <Card>
        <Table
          size="small"
          data-testid="compare-table"
          rowKey={(r) => r.region.code}
          pagination={false}
          scroll={{ x: true }}
          dataSource={rows}
          columns={[
            {
              title: t('indicators.rank'),
              dataIndex: 'rank',
              width: 64,
              render: (v: number | null) => v ?? '—',
            },
            {
              title: t('indicators.name'),
              key: 'name',
              render: (_: unknown, r: Ranked) => (
                <Button type="link" style={{ padding: 0 }} onClick={() => drill(r.region.code)}>
                  {r.region.name}
                </Button>
              ),
            },
            {
              title: t('indicators.value'),
              key: 'value',
              align: 'right',
              render: (_: unknown, r: Ranked) => (
                <Button
                  type="link"
                  style={{ padding: 0 }}
                  onClick={() => openRecords(r.region)}
                  title={t('indicators.recordsHint')}
                  data-testid="compare-value"
                >
                  {formatValue(r.figure?.value ?? null, r.figure?.unit ?? 'percent', lang) ??
                    t('indicators.notAvailable')}
                </Button>
              ),
            },
            {
              title: t('indicators.numerator'),
              key: 'num',
              align: 'right',
              render: (_: unknown, r: Ranked) => formatCount(r.figure?.numerator ?? null, lang),
            },
            {
              title: t('indicators.denominator'),
              key: 'den',
              align: 'right',
              render: (_: unknown, r: Ranked) => formatCount(r.figure?.denominator ?? null, lang),
            },
            {
              title: t('indicators.target'),
              key: 'target',
              render: (_: unknown, r: Ranked) => (r.figure ? (targetText(r.figure, lang) ?? '—') : '—'),
            },
            {
              title: t('indicators.status'),
              key: 'status',
              render: (_: unknown, r: Ranked) =>
                r.figure?.status ? (
                  <Tag color={STATUS_TAG[r.figure.status]}>{t(`indicators.status.${r.figure.status}`)}</Tag>
                ) : (
                  '—'
                ),
            },
          ]}
          summary={() =>
            total ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={2}>
                  <b>{t('indicators.total', { region: data.region.name })}</b>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={2} align="right">
                  <b>{formatValue(total.value, total.unit, lang) ?? t('indicators.notAvailable')}</b>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={3} align="right">
                  {formatCount(total.numerator, lang)}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right">
                  {formatCount(total.denominator, lang)}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={5}>{targetText(total, lang) ?? '—'}</Table.Summary.Cell>
                <Table.Summary.Cell index={6}>
                  {total.status ? (
                    <Tag color={STATUS_TAG[total.status]}>{t(`indicators.status.${total.status}`)}</Tag>
                  ) : (
                    '—'
                  )}
                </Table.Summary.Cell>
              </Table.Summary.Row>
            ) : null
          }
        />
      </Card>
      <RecordsDrawer target={records} onClose={() => setRecords(null)} />
    </>
  );
}
