import { BarChart } from 'echarts/charts';
import { GridComponent, LegendPlainComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { type CSSProperties, useEffect, useRef } from 'react';
import { FONT_FAMILY } from '../theme.ts';

// Only what the dashboard (the first page) draws: bars on a grid. Pages with line series import
// charts/line-chart.ts; the map page adds scatter and geo (charts/geo.ts).
echarts.use([BarChart, GridComponent, TooltipComponent, LegendPlainComponent, CanvasRenderer]);

export { echarts };
export type ChartOption = echarts.EChartsCoreOption;
export type ChartClick = (params: { data?: unknown; seriesName?: string; name?: string }) => void;

/** A chart that follows its `option`, resizes with its box, and is disposed on unmount. */
export function EChart({
  option,
  height = 320,
  onClick,
  style,
  testId,
}: {
  option: ChartOption;
  height?: number | string;
  onClick?: ChartClick;
  style?: CSSProperties;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const el = box.current!;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ textStyle: { fontFamily: FONT_FAMILY }, ...option }, { notMerge: true });
  }, [option]);
  useEffect(() => {
    const c = chart.current;
    if (!c || !onClick) return;
    c.on('click', onClick as never);
    return () => {
      if (!c.isDisposed()) c.off('click', onClick as never);
    };
  }, [onClick]);
  return <div ref={box} style={{ width: '100%', height, ...style }} data-testid={testId} />;
}
