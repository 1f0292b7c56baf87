import { ScatterChart } from 'echarts/charts';
import { GeoComponent, LegendScrollComponent } from 'echarts/components';
import { echarts } from './echart.tsx';

// The map page's extra ECharts parts, kept out of the chunk that the dashboard and school pages load.
echarts.use([ScatterChart, GeoComponent, LegendScrollComponent]);

export { echarts };
