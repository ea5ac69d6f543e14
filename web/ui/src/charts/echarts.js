// ECharts, trimmed to what dashboards use (tree-shaken through echarts/core). Import this module
// only from lazily loaded code (EChart.vue is loaded with defineAsyncComponent), so ECharts never
// weighs on the login page. The reports' dashboard adds the calendar heat map (calendar,
// visualMap) and the toolbox (save as image). Register more charts/components here as dashboards
// need them.
import * as echarts from 'echarts/core'
import { BarChart, HeatmapChart, LineChart, PieChart } from 'echarts/charts'
import {
  CalendarComponent,
  DatasetComponent,
  GraphicComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  ToolboxComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  PieChart,
  CalendarComponent,
  DatasetComponent,
  GraphicComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  ToolboxComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
])

export default echarts
