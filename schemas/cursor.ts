// Opaque paging cursors: the sort key of the last row of a page, as base64url JSON. A list sorted
// on a key that is unique per row (time, then identifiers, then a per-row UUID) and read "after
// the cursor" returns every row exactly once however rows share a millisecond, and keeps doing so
// while new rows arrive (they sort before the cursor, on the first pages).

export type CursorKey = readonly (string | number)[]

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url')
}

/**
 * The key of a cursor whose parts have the given kinds (`ms`: a non-negative integer time in
 * milliseconds, `int`: a non-negative integer, `string`, `uuid`); undefined when it is not one.
 */
export function decodeCursor(
  cursor: string,
  kinds: readonly ('ms' | 'int' | 'string' | 'uuid')[],
): (string | number)[] | undefined {
  let key: unknown
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
  if (!Array.isArray(key) || key.length !== kinds.length) return undefined
  const ok = kinds.every((kind, i) => {
    const part = key[i]
    if (kind === 'string') return typeof part === 'string'
    if (kind === 'uuid')
      return (
        typeof part === 'string' &&
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(part)
      )
    return typeof part === 'number' && Number.isSafeInteger(part) && part >= 0
  })
  return ok ? key : undefined
}
