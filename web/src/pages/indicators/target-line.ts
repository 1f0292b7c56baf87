// The indicator charts draw the target as a mark line; only these pages need the component.
import { MarkLineComponent } from 'echarts/components';
import { echarts } from '../../charts/echart.tsx';

echarts.use([MarkLineComponent]);
