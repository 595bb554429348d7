// Light or dark: the reader's choice (kept in localStorage), else the system's; charts read their
// colours from here so that axes and labels stay legible in both.
import type { KeyValueStore } from './session.svelte.ts'

export type ThemeMode = 'light' | 'dark'

export interface ChartColors {
  text: string
  muted: string
  axis: string
  grid: string
  tooltip: string
  tooltipText: string
  heatLow: string
  heatHigh: string
}

const chartColors: Record<ThemeMode, ChartColors> = {
  light: {
    text: '#1f2937',
    muted: '#6b7280',
    axis: '#9ca3af',
    grid: '#e5e7eb',
    tooltip: '#ffffff',
    tooltipText: '#111827',
    heatLow: '#eef2ff',
    heatHigh: '#3730a3',
  },
  dark: {
    text: '#e5e7eb',
    muted: '#9ca3af',
    axis: '#6b7280',
    grid: '#2f3545',
    tooltip: '#1f2433',
    tooltipText: '#f3f4f6',
    heatLow: '#1e2235',
    heatHigh: '#a5b4fc',
  },
}

const storageKey = 'implication.theme'

export class Theme {
  mode = $state<ThemeMode>('light')
  chart: ChartColors = $derived(chartColors[this.mode])

  constructor(
    private readonly storage: KeyValueStore,
    prefersDark: boolean,
  ) {
    const saved = storage.getItem(storageKey)
    this.mode = saved === 'light' || saved === 'dark' ? saved : prefersDark ? 'dark' : 'light'
  }

  set(mode: ThemeMode): void {
    this.mode = mode
    this.storage.setItem(storageKey, mode)
  }

  toggle(): void {
    this.set(this.mode === 'dark' ? 'light' : 'dark')
  }
}
