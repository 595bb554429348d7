// saveBlob: the one place the dashboard hands a fetched file to the browser.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { saveBlob } from '../../../dashboard/src/lib/download.ts'

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('saveBlob', () => {
  it('clicks a detached link to the blob under the file name, then frees the blob URL', () => {
    vi.useFakeTimers()
    const events: string[] = []
    const link = {
      href: '',
      download: '',
      click: () => events.push(`click ${link.href} ${link.download}`),
      remove: () => events.push('remove'),
    }
    vi.stubGlobal('document', {
      createElement: (tag: string) => {
        events.push(`create ${tag}`)
        return link
      },
      body: { append: () => events.push('append') },
    })
    const create = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:test/1')
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    const blob = new Blob(['a,b\n1,2\n'], { type: 'text/csv' })

    saveBlob({ blob, filename: 'demo-adoption-groups.csv' })

    expect(create).toHaveBeenCalledWith(blob)
    expect(events).toEqual(['create a', 'append', 'click blob:test/1 demo-adoption-groups.csv', 'remove'])
    expect(revoke).not.toHaveBeenCalled()
    vi.advanceTimersByTime(10_000)
    expect(revoke).toHaveBeenCalledWith('blob:test/1')
  })
})
