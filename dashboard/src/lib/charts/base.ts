// What every chart option starts from: transparent background, the theme's text and grid colours,
// a tooltip that reads in both themes, short animations.
import type { ChartColors } from '../state/theme.svelte.ts'

export type Format = (value: number) => string

export const fontFamily =
  'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

export function baseOption(colors: ChartColors) {
  return {
    backgroundColor: 'transparent',
    animationDuration: 300,
    animationDurationUpdate: 200,
    textStyle: { color: colors.text, fontFamily },
    aria: { enabled: true },
    tooltip: {
      backgroundColor: colors.tooltip,
      borderColor: colors.grid,
      textStyle: { color: colors.tooltipText, fontFamily, fontSize: 12 },
      confine: true,
    },
    legend: {
      top: 0,
      left: 0,
      type: 'plain' as const,
      icon: 'roundRect',
      itemWidth: 12,
      itemHeight: 8,
      textStyle: { color: colors.muted, fontSize: 12 },
    },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
  }
}

export function axisStyle(colors: ChartColors) {
  return {
    axisLine: { lineStyle: { color: colors.axis } },
    axisTick: { show: false },
    axisLabel: { color: colors.muted, fontSize: 11 },
    splitLine: { lineStyle: { color: colors.grid } },
  }
}

/** A tooltip line: a colour dot, a name and a formatted value. */
export function tooltipLine(color: string, name: string, value: string): string {
  return `<span style="display:inline-block;width:8px;height:8px;border-radius:50%;background:${color};margin-right:6px"></span>${escapeHtml(name)} <b style="float:right;margin-left:16px">${escapeHtml(value)}</b>`
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
