// The files of an export, whether a zip archive or a directory (or a few uploaded files), by
// their path inside the export; and text decoding (UTF-8, or Latin-1 when the bytes are not UTF-8).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { unzipSync } from 'fflate'
import { ImportError } from './model.ts'

/** Path inside the export (`/`-separated) → content. */
export type ExportFiles = Map<string, Uint8Array>

/** Zip archives start with `PK\x03\x04` (or `PK\x05\x06` when empty). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5)
}

export function readZip(bytes: Uint8Array, maxTotalBytes = 4 * 1024 ** 3): ExportFiles {
  let entries: Record<string, Uint8Array>
  let total = 0
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        if (file.name.endsWith('/') || file.name.startsWith('__MACOSX/')) return false
        total += file.originalSize
        if (total > maxTotalBytes)
          throw new ImportError(`the archive unpacks to more than ${maxTotalBytes} bytes`)
        return true
      },
    })
  } catch (err) {
    if (err instanceof ImportError) throw err
    throw new ImportError(`not a readable zip archive: ${(err as Error).message}`)
  }
  return new Map(Object.entries(entries))
}

/** Every file under a directory, by relative path. */
export function readDirectory(dir: string): ExportFiles {
  const files: ExportFiles = new Map()
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name
      if (entry.isDirectory()) walk(rel)
      else if (entry.isFile()) files.set(rel, readFileSync(path.join(dir, rel)))
    }
  }
  walk('')
  return files
}

/** A zip file, a directory, or a single file (then the only entry, by its base name). */
export function readExport(location: string): ExportFiles {
  let stat: ReturnType<typeof statSync>
  try {
    stat = statSync(location)
  } catch {
    throw new ImportError(`${location}: no such file or directory`)
  }
  if (stat.isDirectory()) return readDirectory(location)
  const bytes = readFileSync(location)
  if (isZip(bytes)) return readZip(bytes)
  return new Map([[path.basename(location), bytes]])
}

/**
 * An export zipped with its top folder (`export/users.json`) reads like one without it: the
 * common leading folder is removed when every file sits under it.
 */
export function stripCommonFolder(files: ExportFiles): ExportFiles {
  const names = [...files.keys()]
  if (names.length === 0) return files
  const first = names[0]!.split('/')[0]!
  if (!names.every((n) => n.startsWith(`${first}/`))) return files
  return new Map([...files].map(([name, bytes]) => [name.slice(first.length + 1), bytes]))
}

export type Encoding = 'utf8' | 'latin1'

/** Text of a file: UTF-8 (BOM dropped) when the bytes are valid UTF-8, else Latin-1 (or as told). */
export function decodeText(
  bytes: Uint8Array,
  encoding: Encoding | 'auto' = 'auto',
): { text: string; encoding: Encoding } {
  let chosen: Encoding = encoding === 'auto' ? 'utf8' : encoding
  let text: string
  if (chosen === 'utf8') {
    try {
      text = new TextDecoder('utf-8', { fatal: encoding === 'auto' }).decode(bytes)
    } catch {
      chosen = 'latin1'
      text = new TextDecoder('latin1').decode(bytes)
    }
  } else text = new TextDecoder('latin1').decode(bytes)
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  return { text, encoding: chosen }
}

/** The file whose base name matches, whatever the case and folder (`Messages.csv`). */
export function findFile(files: ExportFiles, baseName: string): [string, Uint8Array] | undefined {
  const wanted = baseName.toLowerCase()
  for (const entry of files) {
    if (path.posix.basename(entry[0]).toLowerCase() === wanted) return entry
  }
  return undefined
}
