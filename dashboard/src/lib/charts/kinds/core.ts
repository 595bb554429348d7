// The ECharts core every chart needs (SVG renderer: crisp, and its shapes can be counted in tests).
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components'
import * as echarts from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'

echarts.use([SVGRenderer, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, AriaComponent])

export { echarts }
