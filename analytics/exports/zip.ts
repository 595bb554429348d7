// The ZIP container of the XLSX export, written by fflate: every part deflated (level 6), in the
// order given, stamped 1980-01-01 00:00 so that the same rows give the same bytes.
import { type Zippable, zipSync } from 'fflate'

export interface ZipEntry {
  name: string
  data: Buffer
}

export function zip(entries: readonly ZipEntry[]): Buffer {
  // The earliest time a ZIP can hold; fflate reads it in local time, as MS-DOS times are.
  const mtime = new Date(1980, 0, 1, 0, 0, 0)
  const files: Zippable = {}
  for (const entry of entries) files[entry.name] = [entry.data, { level: 6, mtime }]
  const bytes = zipSync(files)
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
