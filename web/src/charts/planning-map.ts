import { LinesChart, ScatterChart } from 'echarts/charts';
import { LegendPlainComponent } from 'echarts/components';
import type { ScenarioView } from '../api/types.ts';
import { type ChartOption, echarts } from './echart.tsx';
import '../i18n/messages/planning.ts';

// The planning map's parts: points and lines on longitude/latitude axes, no tiles.
echarts.use([ScatterChart, LinesChart, LegendPlainComponent]);

export const ACTION_COLOURS = {
  keep: '#1677ff',
  expand: '#fa8c16',
  new: '#52c41a',
  close: '#8c8c8c',
} as const;
type Action = keyof typeof ACTION_COLOURS;

/** A circle of `km` around a point, as a closed polyline in degrees. */
function circle(lng: number, lat: number, km: number): number[][] {
  const dLat = km / 111.32;
  const dLng = km / (111.32 * Math.cos((lat * Math.PI) / 180));
  return Array.from({ length: 41 }, (_, i) => {
    const a = (i / 40) * 2 * Math.PI;
    return [lng + dLng * Math.cos(a), lat + dLat * Math.sin(a)];
  });
}

/**
 * Schools coloured by action, demand points sized by pupils, a line from each demand point to its
 * school, and each open school's service radius (rural when any of its pupils is rural).
 */
export function planningMapOption(v: ScenarioView, label: (key: string) => string): ChartOption {
  const demand = new Map(v.demandPoints.map((d) => [d.id, d]));
  const place = new Map(v.facilities.map((f) => [f.id, f]));
  const rural = new Set(
    v.assignments.filter((a) => demand.get(a.demandPoint)?.area === 'rural').map((a) => a.facility),
  );
  const maxPupils = Math.max(1, ...v.demandPoints.map((d) => d.pupils));
  const actions: Action[] = ['keep', 'expand', 'new', 'close'];
  return {
    animation: false,
    tooltip: { trigger: 'item' },
    legend: { top: 0 },
    grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'value', scale: true, name: 'E', axisLabel: { formatter: (x: number) => x.toFixed(2) } },
    yAxis: { type: 'value', scale: true, name: 'N', axisLabel: { formatter: (x: number) => x.toFixed(2) } },
    series: [
      {
        name: label('pl.radius'),
        type: 'lines',
        coordinateSystem: 'cartesian2d',
        polyline: true,
        silent: true,
        lineStyle: { color: '#91caff', width: 1, type: 'dashed', opacity: 0.7 },
        data: v.facilities
          .filter((f) => f.action !== 'close')
          .map((f) => ({
            coords: circle(f.lng, f.lat, rural.has(f.id) ? v.radiusKm.rural : v.radiusKm.urban),
          })),
      },
      {
        name: label('pl.assign'),
        type: 'lines',
        coordinateSystem: 'cartesian2d',
        silent: true,
        lineStyle: { color: '#bfbfbf', width: 1, opacity: 0.8 },
        data: v.assignments.flatMap((a) => {
          const d = demand.get(a.demandPoint);
          const f = place.get(a.facility);
          return d && f
            ? [
                {
                  coords: [
                    [d.lng, d.lat],
                    [f.lng, f.lat],
                  ],
                },
              ]
            : [];
        }),
      },
      {
        name: label('pl.demand'),
        type: 'scatter',
        symbol: 'circle',
        itemStyle: { color: '#722ed1', opacity: 0.6 },
        symbolSize: (value: number[]) => 4 + 12 * Math.sqrt((value[2] ?? 0) / maxPupils),
        tooltip: { formatter: (p: { data: unknown[] }) => `${p.data[3]}：${p.data[2]}` },
        data: v.demandPoints.map((d) => [d.lng, d.lat, d.pupils, d.id]),
      },
      ...actions.map((a) => ({
        name: label(`pl.action.${a}`),
        type: 'scatter' as const,
        symbol: a === 'new' ? 'diamond' : a === 'close' ? 'triangle' : 'rect',
        symbolSize: 12,
        itemStyle: { color: ACTION_COLOURS[a] },
        tooltip: {
          formatter: (p: { data: unknown[] }) => `${p.data[2]}<br/>${label(`pl.action.${a}`)} · ${p.data[3]}`,
        },
        data: v.facilities.filter((f) => f.action === a).map((f) => [f.lng, f.lat, f.name, f.seats]),
      })),
    ],
  };
}
