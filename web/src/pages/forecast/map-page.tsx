import { Card, Flex, Select, Typography } from 'antd';
import { useCallback, useMemo } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useBalance, useForecastRun, useOutlines } from '../../api/forecast-queries.ts';
import type { BalanceView } from '../../api/types.ts';
import { type ChartClick, type ChartOption, EChart } from '../../charts/echart.tsx';
import { echarts } from '../../charts/forecast-map.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { SchematicBadge } from '../../components/schematic-badge.tsx';
import { EmptyState, ErrorAlert, Loading, NotFoundResult } from '../../components/states.tsx';
import { useSearchState } from '../../components/use-search-state.ts';
import { type Translate, useLang } from '../../i18n/lang.tsx';
import { labelOf } from '../../labels.ts';
import { formatCount, runIdOf, runYears } from './format.ts';
import { RunLinks, ViewExport } from './run-links.tsx';
import { StageSelect } from './stage-select.tsx';
import '../../i18n/messages/forecast.ts';

interface AreaValue {
  /** The area id, as the outline's `code`. */
  name: string;
  value: number | null;
  areaName: string;
  row: { pupils: number; seats: number; gap: number } | null;
}

/** Past ±50 % of the seats an area is as short, or as empty, as the colours say. */
const SHARE_LIMIT = 50;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Areas coloured by their gap as a share of their seats: red short, blue to spare, white balanced. */
function mapOption(mapName: string, v: BalanceView, t: Translate): ChartOption {
  const byArea = new Map(v.rows.map((r) => [r.area, r]));
  // Every area, so that each is named; one without the stage is left uncoloured.
  const data: AreaValue[] = v.areas.map((a) => {
    const r = byArea.get(a.id);
    if (!r) return { name: a.id, value: null, areaName: a.name, row: null };
    // A stage without seats and with pupils is wholly short.
    const share = r.seats > 0 ? (r.gap / r.seats) * 100 : r.pupils > 0 ? -SHARE_LIMIT : null;
    return {
      name: a.id,
      value: share === null ? null : Math.max(-SHARE_LIMIT, Math.min(SHARE_LIMIT, share)),
      areaName: a.name,
      row: { pupils: r.pupils, seats: r.seats, gap: r.gap },
    };
  });
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { data?: AreaValue; name: string }) => {
        const d = p.data;
        if (!d) return escapeHtml(p.name);
        const r = d.row;
        if (!r) return `<b>${escapeHtml(d.areaName)}</b><br/>${t('fc.map.noStage')}`;
        return [
          `<b>${escapeHtml(d.areaName)}</b>`,
          `${t('fc.pupils')}: ${formatCount(r.pupils)}`,
          `${t('fc.seats')}: ${formatCount(r.seats)}`,
          `${t('fc.gap')}: ${formatCount(r.gap)}`,
          r.seats > 0 ? `${t('fc.map.share')}: ${((r.gap / r.seats) * 100).toFixed(1)}%` : '',
        ]
          .filter(Boolean)
          .join('<br/>');
      },
    },
    visualMap: {
      type: 'continuous',
      min: -SHARE_LIMIT,
      max: SHARE_LIMIT,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 160,
      text: [`${t('fc.map.legendSurplus')} +${SHARE_LIMIT}%`, `${t('fc.map.legendShort')} −${SHARE_LIMIT}%`],
      inRange: { color: ['#cf1322', '#ff7875', '#fafafa', '#69b1ff', '#0958d9'] },
    },
    series: [
      {
        type: 'map',
        map: mapName,
        nameProperty: 'code',
        roam: true,
        top: 8,
        bottom: 56,
        label: {
          show: true,
          fontSize: 11,
          color: '#262626',
          textBorderColor: '#fff',
          textBorderWidth: 2,
          formatter: (p: { data?: AreaValue }) => p.data?.areaName ?? '',
        },
        itemStyle: { borderColor: '#8c8c8c', borderWidth: 0.8, areaColor: '#f0f0f0' },
        emphasis: { label: { show: true }, itemStyle: { areaColor: '#ffe58f' } },
        select: { disabled: true },
        data,
      },
    ],
  };
}

/** A run's areas on the map, coloured by the shortfall or surplus of one stage in one year; a click opens the area. */
export default function ForecastMapPage() {
  const { t, lang } = useLang();
  const navigate = useNavigate();
  const id = runIdOf(useParams().id);
  const [s, update] = useSearchState(['year', 'stage'] as const);
  const outlines = useOutlines(id);
  const head = useForecastRun(id);
  const run = head.data;
  // Five years ahead unless chosen (or the horizon, when shorter).
  const year = s.year ? Number(s.year) : run ? run.baseYear + Math.min(5, run.horizon) : undefined;
  const stage = s.stage ?? 'primary';
  const balance = useBalance(id, { year, stage }, year !== undefined);
  const view = balance.data;
  const mapName = useMemo(() => {
    if (!outlines.data || outlines.data.geojson.features.length === 0) return null;
    const name = `eduatlas-forecast-${id}`;
    echarts.registerMap(name, outlines.data.geojson as never);
    return name;
  }, [outlines.data, id]);
  const option = useMemo(() => (mapName && view ? mapOption(mapName, view, t) : null), [mapName, view, t]);
  const onClick = useCallback<ChartClick>(
    (p) => {
      const area = (p.data as AreaValue | undefined)?.name;
      if (area) navigate(`/forecast/runs/${id}/areas/${encodeURIComponent(area)}`);
    },
    [navigate, id],
  );
  if (Number.isNaN(id)) return <NotFoundResult />;
  const error = outlines.error ?? head.error ?? balance.error;
  const pending = outlines.isPending || head.isPending || balance.isPending;

  return (
    <>
      <PageHeader
        title={t('fc.map.title')}
        sub={
          run &&
          year !== undefined &&
          t('fc.map.sub', { run: run.name ?? '', year, stage: labelOf('stage', stage, lang) })
        }
        extra={
          <>
            <RunLinks run={id} current="map" />
            <ViewExport runs={[id]} stage={stage} year={year} />
          </>
        }
      />
      <Card
        title={
          <Flex wrap gap={8}>
            <Select
              value={year}
              onChange={(v) => update({ year: v })}
              options={(run ? runYears(run) : []).map((y) => ({
                value: y,
                label: t('common.year', { year: y }),
              }))}
              style={{ width: 120 }}
              aria-label={t('fc.year')}
              data-testid="map-year"
            />
            <StageSelect value={stage} onChange={(v) => update({ stage: v })} data-testid="map-stage" />
          </Flex>
        }
        extra={outlines.data?.schematic && <SchematicBadge />}
      >
        {error ? (
          <ErrorAlert
            error={error}
            onRetry={() => {
              void outlines.refetch();
              void head.refetch();
              void balance.refetch();
            }}
          />
        ) : pending ? (
          <Loading rows={10} />
        ) : !mapName ? (
          <EmptyState description={t('fc.map.noOutlines')} />
        ) : view && view.rows.length === 0 ? (
          <EmptyState />
        ) : (
          option && (
            <>
              <EChart option={option} height="min(70vh, 640px)" onClick={onClick} testId="forecast-map" />
              <Typography.Text type="secondary">{t('fc.map.click')}</Typography.Text>
            </>
          )
        )}
      </Card>
    </>
  );
}
