import { ScatterChart } from 'echarts/charts';
import { LegendScrollComponent } from 'echarts/components';
import { echarts } from './echart.tsx';
import './line-chart.ts';

// The forecast area and comparison charts' extras: delivery pins and a legend that scrolls on a
// phone, without the map's geo parts, which those pages do not draw.
echarts.use([ScatterChart, LegendScrollComponent]);
