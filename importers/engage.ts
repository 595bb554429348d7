// Viva Engage (Yammer) network data export (admin centre → Content and security → Export data,
// or the Data Export API `GET /api/v1/export`): a zip of CSV files, of which these are read:
//   Users.csv    id, name, email, job_title, location, department, api_url, deleted_by_id,
//                deleted_by_type, joined_at, deleted_at, suspended_by_id, suspended_by_type,
//                suspended_at, guest, state
//   Groups.csv   id, name, description, private, deleted, creator_id, creator_type, created_at,
//                updated_at, api_url
//   Messages.csv id, replied_to_id, thread_id, conversation_id, group_id, group_name,
//                participants, in_private_group, in_private_conversation, sender_id, sender_type,
//                sender_name, sender_email, body, api_url, attachments, deleted_by_id,
//                deleted_by_type, created_at, deleted_at
//   Files.csv    id, name, description, uploader_id, uploader_type, path, group_id, group_name,
//                created_at, ... (older exports: owner_id / uploaded_at; both are read)
// Times look like `2024-03-05 14:30:05 UTC`.
//
// Mapping: a user's first sign-in (joined_at) is `session.started`; a group is a space created
// by its creator (`group.created`); a thread's first message is `post.created`, a reply
// `comment.created` with the thread's first message as parent and the replied-to author as
// target; a private conversation message is `message.sent`; each `[[user:ID]]` in a body is
// `mention.added`; a file is `file.uploaded` (in its group's space, none when it has no group).
// Users.csv gives the roster: department, location as site, deleted_at (or suspended_at) as
// left_at. Likes, views and topics are not in the export.
import type { RosterPerson } from '../schemas/roster.ts'
import { type CsvRow, column, readCsv } from './csv-table.ts'
import { dayOf, parseExportTime, wireTimeOf } from './dates.ts'
import { type ExportFiles, findFile } from './files.ts'
import { type Candidate, ImportError, newParse, type SourceParse, skip, stableId } from './model.ts'

export const engageSource = 'viva-engage'

const mentionPattern = /\[\[user:(\d+)\]\]/g

export function parseEngageExport(files: ExportFiles, org: string, timeZone: string): SourceParse {
  const parse = newParse('engage')
  const found = ['Users.csv', 'Groups.csv', 'Messages.csv', 'Files.csv'].map((n) => findFile(files, n))
  if (found.every((f) => f === undefined)) {
    throw new ImportError('not a Viva Engage export: none of Users.csv, Groups.csv, Messages.csv, Files.csv')
  }
  const [users, groups, messages, fileList] = found
  const tables = (entry: [string, Uint8Array] | undefined) =>
    entry
      ? { file: entry[0], rows: readCsv(entry[1], { file: entry[0] }).rows }
      : { file: '', rows: [] as CsvRow[] }

  const event = (
    fields: Omit<Candidate['event'], 'org' | 'source' | 'time'>,
    ms: number,
    file: string,
    row: CsvRow,
  ) =>
    parse.candidates.push({
      event: { ...fields, time: wireTimeOf(ms), org, source: engageSource },
      origin: { file, line: row.line },
      raw: row.raw,
    })
  const problem = (file: string, row: CsvRow, path: string, message: string) =>
    parse.problems.push({ origin: { file, line: row.line }, path, message, raw: row.raw })
  /** A required time column; a problem (and null) when missing or unreadable. */
  const timeOf = (file: string, row: CsvRow, name: string): number | null => {
    const text = column(row, name)
    if (text === '') {
      problem(file, row, name, 'required')
      return null
    }
    const ms = parseExportTime(text, timeZone)
    if (ms === null) problem(file, row, name, `not a date-time: "${text}"`)
    return ms
  }

  // Users: the roster, and the first sign-in.
  const u = tables(users)
  if (users) {
    const roster: RosterPerson[] = []
    const seen = new Set<string>()
    for (const row of u.rows) {
      const id = column(row, 'id')
      if (id === '') {
        problem(u.file, row, 'id', 'required')
        continue
      }
      if (seen.has(id)) {
        skip(parse, 'user listed twice')
        continue
      }
      seen.add(id)
      const leftText = column(row, 'deleted_at') || column(row, 'suspended_at')
      const leftMs = leftText ? parseExportTime(leftText, timeZone) : null
      if (leftText && leftMs === null) problem(u.file, row, 'deleted_at', `not a date-time: "${leftText}"`)
      roster.push({
        id,
        department: column(row, 'department') || undefined,
        site: column(row, 'location') || undefined,
        manager: undefined,
        hired_at: undefined,
        left_at: leftMs === null ? undefined : dayOf(leftMs),
      })
      if (column(row, 'joined_at') !== '') {
        const joined = timeOf(u.file, row, 'joined_at')
        if (joined !== null)
          event(
            { id: stableId('user', id, 'joined'), type: 'session.started', actor: id },
            joined,
            u.file,
            row,
          )
      }
    }
    parse.roster = roster
  }

  // Groups: spaces, and who created them.
  const g = tables(groups)
  const groupNames = new Map<string, string>()
  for (const row of g.rows) {
    const id = column(row, 'id')
    const name = column(row, 'name')
    if (id === '' || name === '') {
      problem(g.file, row, id === '' ? 'id' : 'name', 'required')
      continue
    }
    groupNames.set(id, name)
    const creator = column(row, 'creator_id')
    if (creator === '' || !/^user$/i.test(column(row, 'creator_type') || 'User')) {
      skip(parse, 'group without a user as creator')
      continue
    }
    const ms = timeOf(g.file, row, 'created_at')
    if (ms === null) continue
    event(
      {
        id: stableId('group', id),
        type: 'group.created',
        actor: creator,
        space: name,
        object: `group:${id}`,
      },
      ms,
      g.file,
      row,
    )
  }

  // Messages: threads, replies, private conversations, mentions.
  const m = tables(messages)
  const authorOf = new Map<string, string>()
  for (const row of m.rows) authorOf.set(column(row, 'id'), column(row, 'sender_id'))
  const seenMessages = new Set<string>()
  for (const row of m.rows) {
    const id = column(row, 'id')
    if (id === '') {
      problem(m.file, row, 'id', 'required')
      continue
    }
    if (seenMessages.has(id)) {
      skip(parse, 'earlier version of a message (counted once)')
      continue
    }
    seenMessages.add(id)
    const senderType = column(row, 'sender_type')
    if (senderType !== '' && !/^user$/i.test(senderType)) {
      skip(parse, `message not sent by a user (${senderType})`)
      continue
    }
    const sender = column(row, 'sender_id')
    if (sender === '') {
      problem(m.file, row, 'sender_id', 'required')
      continue
    }
    const ms = timeOf(m.file, row, 'created_at')
    if (ms === null) continue
    const groupId = column(row, 'group_id')
    const space = column(row, 'group_name') || groupNames.get(groupId) || ''
    const object = `msg:${id}`
    const threadId = column(row, 'thread_id') || id
    const repliedTo = column(row, 'replied_to_id')
    const base = { actor: sender, object, ...(space ? { space } : {}) }
    if (/^true$/i.test(column(row, 'in_private_conversation'))) {
      const others = column(row, 'participants')
        .split(',')
        .map((p) => p.trim().replace(/^user:/i, ''))
        .filter((p) => p !== '' && p !== sender)
      event(
        {
          id: stableId('msg', id),
          type: 'message.sent',
          actor: sender,
          object,
          ...(others.length === 1 ? { target: others[0]! } : {}),
        },
        ms,
        m.file,
        row,
      )
    } else if (repliedTo === '' && threadId === id) {
      event({ id: stableId('msg', id), type: 'post.created', ...base }, ms, m.file, row)
    } else {
      const repliedAuthor = authorOf.get(repliedTo || threadId)
      event(
        {
          id: stableId('msg', id),
          type: 'comment.created',
          feature: 'groups',
          ...base,
          parent: `msg:${threadId}`,
          ...(repliedAuthor && repliedAuthor !== sender ? { target: repliedAuthor } : {}),
        },
        ms,
        m.file,
        row,
      )
    }
    const mentioned = new Set([...column(row, 'body').matchAll(mentionPattern)].map((x) => x[1]!))
    for (const target of mentioned) {
      if (target === sender) continue
      event(
        {
          id: stableId('msg', id, 'mention', target),
          type: 'mention.added',
          feature: 'groups',
          ...base,
          target,
        },
        ms,
        m.file,
        row,
      )
    }
  }

  // Files: uploads, in their group when they have one.
  const f = tables(fileList)
  for (const row of f.rows) {
    const id = column(row, 'id', 'file_id')
    const uploader = column(row, 'uploader_id', 'owner_id', 'uploaded_by_id')
    if (id === '' || uploader === '') {
      problem(f.file, row, id === '' ? 'id' : 'uploader_id', 'required')
      continue
    }
    const uploaderType = column(row, 'uploader_type', 'owner_type')
    if (uploaderType !== '' && !/^user$/i.test(uploaderType)) {
      skip(parse, `file not uploaded by a user (${uploaderType})`)
      continue
    }
    const timeColumn = column(row, 'created_at') !== '' ? 'created_at' : 'uploaded_at'
    const ms = timeOf(f.file, row, timeColumn)
    if (ms === null) continue
    const space = column(row, 'group_name') || groupNames.get(column(row, 'group_id')) || ''
    event(
      {
        id: stableId('file', id),
        type: 'file.uploaded',
        actor: uploader,
        object: `file:${id}`,
        ...(space ? { space } : {}),
      },
      ms,
      f.file,
      row,
    )
  }
  return parse
}
