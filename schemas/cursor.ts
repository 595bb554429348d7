// Opaque paging cursors: the sort key of the last row of a page, as base64url JSON. A list sorted
// on a key that is unique per row (time, then identifiers, then a per-row UUID) and read "after
// the cursor" returns every row exactly once however rows share a millisecond, and keeps doing so
// while new rows arrive (they sort before the cursor, on the first pages).

export type CursorKey = readonly (string | number)[]

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url')
}

/**
 * The key of a cursor of a list in `order` (a non-negative integer time in milliseconds, then each
 * tie as its type says: UUID, String, or a non-negative integer); undefined when it is not one.
 */
export function decodeCursor(cursor: string, order: CursorOrder): (string | number)[] | undefined {
  const kinds = [
    'int',
    ...order.ties.map(([, type]) => (type === 'UUID' ? 'uuid' : type === 'String' ? 'string' : 'int')),
  ]
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

/** A sort key as the list orders it: a time column newest first, then ties in ascending order. */
export interface CursorOrder {
  /** DateTime64 column, compared in milliseconds. */
  time: string
  /** Tie-break columns with their query-parameter types (e.g. `request_id` `String`). */
  ties: readonly (readonly [column: string, type: string])[]
}

/**
 * SQL: the rows that come after the key in the order (older, or as old and later in the ties);
 * `orEqual` takes the key's own row too. Its parameters are `cursorParams(key)`.
 */
export function afterCursorSql(order: CursorOrder, orEqual = false): string {
  const ms = `toUnixTimestamp64Milli(${order.time})`
  const ties = order.ties.map(([column]) => column).join(', ')
  const keys = order.ties.map(([, type], i) => `{k${i + 1}:${type}}`).join(', ')
  return `(${ms} < {k0:Int64} OR (${ms} = {k0:Int64} AND (${ties}) ${orEqual ? '>=' : '>'} (${keys})))`
}

export function cursorParams(key: CursorKey): Record<string, string | number> {
  return Object.fromEntries(key.map((part, i) => [`k${i}`, part]))
}

/**
 * The page of rows read with a LIMIT of `limit + 1` (one more than asked tells whether there is a
 * next page, without a count), and the cursor of the page after it, null on the last.
 */
export function pageOf<T>(
  rows: readonly T[],
  limit: number,
  keyOf: (row: T) => CursorKey,
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return { page, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null }
}
