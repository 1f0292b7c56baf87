import { MapChart } from 'echarts/charts';
import { VisualMapComponent } from 'echarts/components';
import { echarts } from './geo.ts';

// The forecast map's extra ECharts parts (areas coloured by a value), loaded with that page only.
echarts.use([MapChart, VisualMapComponent]);

export { echarts };
