import { LineChart } from 'echarts/charts';
import { echarts } from './echart.tsx';

// Line series, registered by the pages that draw them (school trends, indicators, forecasts), so the
// dashboard — the first page after sign-in, bars only — does not load them.
echarts.use([LineChart]);
