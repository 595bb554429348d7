import { HeatmapChart } from 'echarts/charts'
import { VisualMapComponent } from 'echarts/components'
import { use } from 'echarts/core'

use([HeatmapChart, VisualMapComponent])
