// Slack workspace export (Settings → Import/export data → Export): `users.json`, `channels.json`
// (and `groups.json` for private channels on plans that export them), one folder per channel
// named after it, one JSON file per day (`2024-03-05.json`) holding an array of messages.
//
// Mapping: a channel is a space, created by its creator (`group.created`); a top-level message
// is `post.created`; a reply (thread_ts ≠ ts) is `comment.created` with the thread's first
// message as parent; each `<@U…>` mention is `mention.added` with the mentioned person as
// target; each reacting user is one `reaction.added` (exports carry no reaction time: the
// message's time is used); a file on a message is `file.uploaded` by its owner or
// `file.shared` by someone else; `channel_join` / `channel_leave` are `group.joined` /
// `group.left`. Bot messages, edits (`message_changed`), deletions and tombstones are left out
// and counted; an edited message (`edited`) counts once, as written.
import type { RosterPerson } from '../schemas/roster.ts'
import { dayOf, slackTsMs, wireTimeOf } from './dates.ts'
import { decodeText, type ExportFiles, stripCommonFolder } from './files.ts'
import { type Candidate, clip, ImportError, newParse, type SourceParse, skip, stableId } from './model.ts'

export const slackSource = 'slack'

interface SlackUser {
  id?: string
  name?: string
  deleted?: boolean
  is_bot?: boolean
  is_app_user?: boolean
  profile?: { title?: string; real_name?: string }
}

interface SlackChannel {
  id?: string
  name?: string
  created?: number
  creator?: string
}

interface SlackFile {
  id?: string
  user?: string
  mode?: string
}

interface SlackMessage {
  type?: string
  subtype?: string
  user?: string
  bot_id?: string
  text?: string
  ts?: string
  thread_ts?: string
  files?: SlackFile[]
  reactions?: { name?: string; users?: string[]; count?: number }[]
}

/** 1-based line where each element of a top-level JSON array starts (pretty-printed or not). */
export function arrayElementLines(text: string): number[] {
  const lines: number[] = []
  let line = 1
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '\n') line++
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
      continue
    }
    if (c === '"') {
      inString = true
      if (depth === 1) lines.push(line)
    } else if (c === '{' || c === '[') {
      if (depth === 1) lines.push(line)
      depth++
    } else if (c === '}' || c === ']') depth--
    else if (depth === 1 && c !== ',' && c !== ' ' && c !== '\t' && c !== '\r' && c !== '\n') {
      // A bare scalar element (number, true...): its first character.
      if (!/[\s,]/.test(text[i - 1] ?? ',')) continue
      lines.push(line)
    }
  }
  return lines
}

const mentionPattern = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g

/** The people a message mentions, once each, in order. */
export function mentionsOf(text: string | undefined): string[] {
  if (!text) return []
  return [...new Set([...text.matchAll(mentionPattern)].map((m) => m[1]!))]
}

const skippedSubtypes: Record<string, string> = {
  bot_message: 'bot message',
  message_changed: 'edit (the message counts once, as written)',
  message_deleted: 'deletion notice',
  tombstone: 'deleted message (tombstone, author unknown)',
  message_replied: 'thread metadata update',
  channel_topic: 'channel topic or purpose change',
  channel_purpose: 'channel topic or purpose change',
  channel_name: 'channel renamed',
  channel_archive: 'channel archived or unarchived',
  channel_unarchive: 'channel archived or unarchived',
  pinned_item: 'pin or unpin',
  unpinned_item: 'pin or unpin',
}

export function parseSlackExport(input: ExportFiles, org: string): SourceParse {
  const files = stripCommonFolder(input)
  const parse = newParse('slack')
  const readJson = (name: string): { value: unknown; text: string } | undefined => {
    const bytes = files.get(name)
    if (!bytes) return undefined
    const { text } = decodeText(bytes, 'utf8')
    try {
      return { value: JSON.parse(text), text }
    } catch (err) {
      parse.problems.push({
        origin: { file: name, line: 1 },
        path: '',
        message: `not valid JSON: ${(err as Error).message}`,
        raw: clip(text),
      })
      return undefined
    }
  }

  const users = readJson('users.json')
  if (!users && !files.has('channels.json')) {
    throw new ImportError('not a Slack export: neither users.json nor channels.json at its top level')
  }
  const bots = new Set<string>(['USLACKBOT'])
  const people = new Map<string, SlackUser>()
  if (users && Array.isArray(users.value)) {
    for (const u of users.value as SlackUser[]) {
      if (typeof u?.id !== 'string') continue
      if (u.is_bot || u.id === 'USLACKBOT') bots.add(u.id)
      else people.set(u.id, u)
    }
  }

  const event = (
    fields: Omit<Candidate['event'], 'org' | 'source' | 'time'>,
    ms: number,
    origin: Candidate['origin'],
    raw: Candidate['raw'],
  ) =>
    parse.candidates.push({
      event: { ...fields, time: wireTimeOf(ms), org, source: slackSource },
      origin,
      raw,
    })

  // Channels (public, then private): the folder is named after the channel.
  const channels = new Map<string, SlackChannel>()
  for (const list of ['channels.json', 'groups.json']) {
    const read = readJson(list)
    if (!read) continue
    if (!Array.isArray(read.value)) {
      parse.problems.push({ origin: { file: list, line: 1 }, path: '', message: 'not a JSON array', raw: '' })
      continue
    }
    const lines = arrayElementLines(read.text)
    ;(read.value as SlackChannel[]).forEach((c, i) => {
      const origin = { file: list, line: lines[i] ?? 1 }
      if (typeof c?.name !== 'string' || typeof c.id !== 'string') {
        parse.problems.push({
          origin,
          path: 'name',
          message: 'a channel needs an id and a name',
          raw: clip(JSON.stringify(c)),
        })
        return
      }
      channels.set(c.name, c)
      const created = typeof c.created === 'number' ? c.created * 1000 : null
      if (created && typeof c.creator === 'string' && !bots.has(c.creator)) {
        event(
          {
            id: stableId(c.id, 'created'),
            type: 'group.created',
            actor: c.creator,
            space: c.name,
            object: c.id,
          },
          created,
          origin,
          clip(JSON.stringify(c)),
        )
      }
    })
  }

  const lastSeen = new Map<string, number>()
  const dayFile = /^([^/]+)\/(\d{4}-\d{2}-\d{2})\.json$/
  const dayFiles = [...files.keys()].filter((n) => dayFile.test(n)).sort()
  for (const name of dayFiles) {
    const folder = dayFile.exec(name)![1]!
    const channel = channels.get(folder)
    if (!channel && channels.size > 0) {
      skip(parse, 'message of a conversation not in channels.json (direct messages are not imported)')
      continue
    }
    const channelId = channel?.id ?? folder
    const space = folder
    const read = readJson(name)
    if (!read) continue
    if (!Array.isArray(read.value)) {
      parse.problems.push({
        origin: { file: name, line: 1 },
        path: '',
        message: 'a day file must be a JSON array',
        raw: '',
      })
      continue
    }
    const lines = arrayElementLines(read.text)
    const messages = read.value as SlackMessage[]
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!
      const origin = { file: name, line: lines[i] ?? 1 }
      const raw = () => clip(JSON.stringify(m))
      const problem = (path: string, message: string) =>
        parse.problems.push({ origin, path, message, raw: raw() })
      if (m === null || typeof m !== 'object') {
        problem('', 'a message must be a JSON object')
        continue
      }
      const subtype = m.subtype ?? ''
      if (skippedSubtypes[subtype]) {
        skip(parse, skippedSubtypes[subtype]!)
        continue
      }
      if (m.bot_id && !m.user) {
        skip(parse, 'bot message')
        continue
      }
      const ms = slackTsMs(m.ts)
      if (ms === null) {
        problem('ts', 'missing or not a Slack timestamp')
        continue
      }
      if (typeof m.user !== 'string' || m.user === '') {
        problem('user', 'required (who wrote the message)')
        continue
      }
      if (bots.has(m.user)) {
        skip(parse, 'bot message')
        continue
      }
      const ts = String(m.ts)
      lastSeen.set(m.user, Math.max(lastSeen.get(m.user) ?? 0, ms))

      if (subtype === 'channel_join' || subtype === 'group_join') {
        event(
          { id: stableId(channelId, ts, 'join'), type: 'group.joined', actor: m.user, space },
          ms,
          origin,
          raw,
        )
        continue
      }
      if (subtype === 'channel_leave' || subtype === 'group_leave') {
        event(
          { id: stableId(channelId, ts, 'leave'), type: 'group.left', actor: m.user, space },
          ms,
          origin,
          raw,
        )
        continue
      }

      const object = `${channelId}:${ts}`
      const isReply = typeof m.thread_ts === 'string' && m.thread_ts !== ts
      const files = Array.isArray(m.files) ? m.files : []
      const hasText = typeof m.text === 'string' && m.text.trim() !== ''
      if (hasText || files.length === 0) {
        if (isReply) {
          event(
            {
              id: stableId(channelId, ts),
              type: 'comment.created',
              feature: 'groups',
              actor: m.user,
              space,
              object,
              parent: `${channelId}:${m.thread_ts}`,
            },
            ms,
            origin,
            raw,
          )
        } else {
          event(
            { id: stableId(channelId, ts), type: 'post.created', actor: m.user, space, object },
            ms,
            origin,
            raw,
          )
        }
      }
      for (const target of mentionsOf(m.text)) {
        if (target === m.user) continue
        event(
          {
            id: stableId(channelId, ts, 'mention', target),
            type: 'mention.added',
            feature: 'groups',
            actor: m.user,
            target,
            space,
            object,
          },
          ms,
          origin,
          raw,
        )
      }
      for (const f of files) {
        if (typeof f?.id !== 'string' || f.mode === 'tombstone') {
          skip(parse, 'deleted or unnamed file')
          continue
        }
        const owner = typeof f.user === 'string' ? f.user : m.user
        const own = owner === m.user
        event(
          {
            id: stableId(channelId, ts, 'file', f.id),
            type: own ? 'file.uploaded' : 'file.shared',
            actor: m.user,
            space,
            object: f.id,
            ...(own ? {} : { target: owner }),
          },
          ms,
          origin,
          raw,
        )
      }
      for (const r of Array.isArray(m.reactions) ? m.reactions : []) {
        const reactors = Array.isArray(r?.users) ? r.users : []
        if (typeof r?.count === 'number' && r.count > reactors.length) {
          skip(
            parse,
            'reaction whose user is not in the export (Slack lists a limited number)',
            r.count - reactors.length,
          )
        }
        for (const who of reactors) {
          if (typeof who !== 'string' || bots.has(who)) continue
          event(
            {
              id: stableId(channelId, ts, 'reaction', r.name ?? '', who),
              type: 'reaction.added',
              feature: 'groups',
              actor: who,
              target: m.user,
              space,
              object,
            },
            ms,
            origin,
            raw,
          )
        }
      }
    }
  }

  if (people.size > 0) parse.roster = slackRoster(people, lastSeen, dayFiles)
  return parse
}

/**
 * users.json as a roster. Slack has no department or site; deleted accounts have left, on a
 * date the export does not give: the day after their last message, or the first day of the
 * export when they wrote nothing in it.
 */
function slackRoster(
  people: Map<string, SlackUser>,
  lastSeen: Map<string, number>,
  dayFiles: string[],
): RosterPerson[] {
  const firstDay = dayFiles.map((n) => n.slice(-15, -5)).sort()[0]
  return [...people.values()].map((u) => {
    const person: RosterPerson = {
      id: u.id!,
      department: undefined,
      site: undefined,
      manager: undefined,
      hired_at: undefined,
      left_at: undefined,
    }
    if (u.deleted) {
      const last = lastSeen.get(u.id!)
      person.left_at = last !== undefined ? dayOf(last + 86_400_000) : firstDay
    }
    return person
  })
}
