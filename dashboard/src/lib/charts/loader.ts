// ECharts arrives in pieces, on demand: the core with the first chart, each chart kind with the
// first chart of that kind. Nothing of it is in the first bundle.
export type ChartKind = 'line' | 'bar' | 'heatmap' | 'sankey'

const kindModules: Record<ChartKind, () => Promise<unknown>> = {
  line: () => import('./kinds/line.ts'),
  bar: () => import('./kinds/bar.ts'),
  heatmap: () => import('./kinds/heatmap.ts'),
  sankey: () => import('./kinds/sankey.ts'),
}

export type EChartsModule = typeof import('echarts/core')

export async function loadEcharts(kinds: readonly ChartKind[]): Promise<EChartsModule> {
  const [core] = await Promise.all([import('./kinds/core.ts'), ...kinds.map((kind) => kindModules[kind]())])
  return core.echarts
}
