// The settings page's draft: a copy of the org settings being edited, checked before it is sent,
// with the server's refusal (field and message) kept next to the field it names.
import type { OrgSettings } from '../api/types.ts'

export type SettingsProblem = {
  field: string
  key:
    | 'settings.invalid.number'
    | 'settings.invalid.weights'
    | 'settings.invalid.currency'
    | 'settings.invalid.groupSize'
}

export function validateSettings(draft: OrgSettings): SettingsProblem[] {
  const problems: SettingsProblem[] = []
  const numbers: [string, number | null][] = [
    ['roi.hourly_cost', draft.roi.hourly_cost],
    ['roi.minutes_saved.react', draft.roi.minutes_saved.react],
    ['roi.minutes_saved.contribute', draft.roi.minutes_saved.contribute],
    ['roi.minutes_saved.create', draft.roi.minutes_saved.create],
    ['roi.minutes_per_email', draft.roi.minutes_per_email],
    ['roi.licence_per_seat_month', draft.roi.licence_per_seat_month],
    ['roi.community_management_month', draft.roi.community_management_month],
    ...Object.entries(draft.index_weights).map(([k, v]): [string, number] => [`index_weights.${k}`, v]),
  ]
  if (draft.roi.baseline_emails_per_week !== null) {
    numbers.push(['roi.baseline_emails_per_week', draft.roi.baseline_emails_per_week])
  }
  for (const [field, value] of numbers) {
    if (value === null || !Number.isFinite(value) || value < 0)
      problems.push({ field, key: 'settings.invalid.number' })
  }
  if (!Object.values(draft.index_weights).some((w) => w > 0)) {
    problems.push({ field: 'index_weights', key: 'settings.invalid.weights' })
  }
  if (!/^[A-Z]{3}$/.test(draft.roi.currency))
    problems.push({ field: 'roi.currency', key: 'settings.invalid.currency' })
  if (!Number.isInteger(draft.min_group_size) || draft.min_group_size < 3 || draft.min_group_size > 1000) {
    problems.push({ field: 'min_group_size', key: 'settings.invalid.groupSize' })
  }
  return problems
}

export class SettingsDraft {
  value = $state<OrgSettings | null>(null)
  saving = $state(false)
  saved = $state(false)
  serverError = $state<{ field?: string; message: string } | null>(null)
  problems = $derived(this.value ? validateSettings(this.value) : [])

  load(settings: OrgSettings): void {
    this.value = structuredClone(settings)
    this.saved = false
    this.serverError = null
  }

  problemFor(field: string): SettingsProblem | undefined {
    return this.problems.find((p) => p.field === field)
  }

  async save(put: (settings: OrgSettings) => Promise<OrgSettings>): Promise<boolean> {
    if (!this.value || this.problems.length > 0) return false
    this.saving = true
    this.saved = false
    this.serverError = null
    try {
      this.value = await put($state.snapshot(this.value) as OrgSettings)
      this.saved = true
      return true
    } catch (err) {
      const e = err as Error & { field?: string }
      this.serverError = { message: e.message, ...(e.field ? { field: e.field } : {}) }
      return false
    } finally {
      this.saving = false
    }
  }
}
