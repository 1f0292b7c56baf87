import { Card, Flex, Tag, Typography } from 'antd';
import { useCallback, useMemo } from 'react';
import { useNavigate } from 'react-router';
import { can, useCurrentUser, useMapSchools } from '../api/queries.ts';
import type { MapSchools } from '../api/types.ts';
import { type ChartClick, type ChartOption, EChart } from '../charts/echart.tsx';
import { echarts } from '../charts/geo.ts';
import { CountySelect } from '../components/county-select.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { SchematicBadge } from '../components/schematic-badge.tsx';
import { EmptyState, ErrorAlert, Loading } from '../components/states.tsx';
import { useSearchState } from '../components/use-search-state.ts';
import { type Lang, type Translate, useLang } from '../i18n/lang.tsx';
import { labelOf, SCHOOL_TYPE_COLORS, SCHOOL_TYPE_ORDER } from '../labels.ts';
import { OutlinesUpload } from './outlines-upload.tsx';

interface FeatureCollection {
  type: 'FeatureCollection';
  features: unknown[];
}

function isFeatureCollection(g: unknown): g is FeatureCollection {
  return (
    typeof g === 'object' &&
    g !== null &&
    (g as FeatureCollection).type === 'FeatureCollection' &&
    Array.isArray((g as FeatureCollection).features) &&
    (g as FeatureCollection).features.length > 0
  );
}

interface Point {
  name: string;
  value: [number, number, number];
  id: number;
  schoolType: string;
}

/**
 * Schools as dots on the bureau's own outlines (a registered GeoJSON map, drawn under the points),
 * or on plain longitude/latitude axes when there are none. Nothing is fetched from outside.
 */
function mapOption(data: MapSchools, mapName: string | null, t: Translate, lang: Lang): ChartOption {
  const maxPupils = Math.max(1, ...data.schools.map((s) => s.pupils));
  const types = SCHOOL_TYPE_ORDER.filter((k) => data.schools.some((s) => s.schoolType === k));
  for (const s of data.schools) if (!types.includes(s.schoolType)) types.push(s.schoolType);
  const series = types.map((type) => ({
    name: labelOf('schoolType', type, lang),
    type: 'scatter',
    ...(mapName ? { coordinateSystem: 'geo' } : {}),
    data: data.schools
      .filter((s) => s.schoolType === type)
      .map<Point>((s) => ({
        name: s.name,
        value: [s.lng, s.lat, s.pupils],
        id: s.id,
        schoolType: s.schoolType,
      })),
    symbolSize: (v: [number, number, number]) => 5 + 19 * Math.sqrt(v[2] / maxPupils),
    itemStyle: {
      color: SCHOOL_TYPE_COLORS[type] ?? '#888',
      opacity: 0.85,
      borderColor: '#fff',
      borderWidth: 0.5,
    },
    emphasis: { scale: 1.4 },
  }));
  const tooltip = {
    trigger: 'item',
    formatter: (p: { data: Point; seriesName: string }) =>
      `<b>${escapeHtml(p.data.name)}</b><br/>${escapeHtml(p.seriesName)}<br/>${t('school.pupils')}: ${p.data.value[2]}`,
  };
  const legend = { type: 'scroll', top: 0, left: 0, right: 0 };
  if (mapName)
    return {
      tooltip,
      legend,
      geo: {
        map: mapName,
        roam: true,
        top: 40,
        bottom: 8,
        itemStyle: { areaColor: '#f1f5fb', borderColor: '#9aabc4', borderWidth: 1 },
        emphasis: { itemStyle: { areaColor: '#e3ecfa' }, label: { show: true } },
        label: { show: true, color: '#6b778c', fontSize: 11 },
        select: { disabled: true },
        tooltip: { show: false },
      },
      series,
    };
  return {
    tooltip,
    legend,
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'value', scale: true, name: t('map.lng'), splitLine: { lineStyle: { type: 'dashed' } } },
    yAxis: { type: 'value', scale: true, name: t('map.lat'), splitLine: { lineStyle: { type: 'dashed' } } },
    series,
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export default function MapPage() {
  const { t, lang } = useLang();
  const me = useCurrentUser();
  const [s, update] = useSearchState(['county'] as const);
  const navigate = useNavigate();
  const { data, error, isPending, refetch } = useMapSchools(s.county);

  const mapName = useMemo(() => {
    if (!data || !isFeatureCollection(data.outlines.geojson)) return null;
    const name = `eduatlas-${s.county ?? 'scope'}`;
    echarts.registerMap(name, data.outlines.geojson as never);
    return name;
  }, [data, s.county]);
  const option = useMemo(() => (data ? mapOption(data, mapName, t, lang) : null), [data, mapName, t, lang]);
  const onClick = useCallback<ChartClick>(
    (p) => {
      const id = (p.data as Point | undefined)?.id;
      if (id) navigate(`/schools/${id}`);
    },
    [navigate],
  );

  return (
    <>
      <PageHeader
        title={t('map.title')}
        sub={data ? t('map.count', { n: data.schools.length }) : undefined}
        extra={
          <>
            <CountySelect value={s.county} onChange={(v) => update({ county: v })} />
            {can(me, 'registry.write') && <OutlinesUpload defaultCounty={s.county} />}
          </>
        }
      />
      <Card
        title={
          <Flex wrap gap={8} align="center">
            <Typography.Text type="secondary" style={{ fontWeight: 400, whiteSpace: 'normal' }}>
              {t('map.help')}
            </Typography.Text>
          </Flex>
        }
        extra={
          data &&
          (data.outlines.schematic ? <SchematicBadge /> : !mapName && <Tag>{t('map.noOutlines')}</Tag>)
        }
      >
        {isPending ? (
          <Loading rows={10} />
        ) : error ? (
          <ErrorAlert error={error} onRetry={() => void refetch()} />
        ) : data.schools.length === 0 && !mapName ? (
          <EmptyState description={t('map.empty')} />
        ) : (
          option && <EChart option={option} height="min(70vh, 720px)" onClick={onClick} testId="school-map" />
        )}
      </Card>
    </>
  );
}
