// History importers on hand-written exports of each published format (tests/fixtures/import):
// every expected figure below was counted by hand from the fixture files.
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { zipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, countStored, startTestApp, type TestApp } from '../helpers/app.ts'

const fixtures = fileURLToPath(new URL('../fixtures/import/', import.meta.url))
const root = fileURLToPath(new URL('../../', import.meta.url))
let t: TestApp

/** A zip of a fixture folder, built here with fflate (paths relative to the folder). */
function zipFolder(dir: string): Buffer {
  const entries: Record<string, Uint8Array> = {}
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const relative = rel ? `${rel}/${name}` : name
      if (statSync(path.join(dir, relative)).isDirectory()) walk(relative)
      else entries[relative] = readFileSync(path.join(dir, relative))
    }
  }
  walk('')
  return Buffer.from(zipSync(entries))
}

async function rows<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
  const result = await t.runtime.store.client.query({ query, query_params: params, format: 'JSONEachRow' })
  return result.json<T>()
}

async function typesOf(org: string): Promise<Record<string, number>> {
  const list = await rows<{ type: string; n: string }>(
    'SELECT type, count() AS n FROM events FINAL WHERE org = {org:String} GROUP BY type ORDER BY type',
    { org },
  )
  return Object.fromEntries(list.map((r) => [r.type, Number(r.n)]))
}

async function rejectedReasons(org: string): Promise<string[]> {
  const list = await rows<{ reason: string }>(
    "SELECT reason FROM rejected_events WHERE org = {org:String} AND channel = 'import' ORDER BY reason",
    { org },
  )
  return [...new Set(list.map((r) => r.reason))]
}

const upload = (org: string, source: string, body: Buffer, query = '', type = 'application/zip') =>
  t.app.inject({
    method: 'POST',
    url: `/v1/orgs/${org}/imports/${source}${query}`,
    headers: { ...auth(), 'content-type': type },
    payload: body,
  })

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: auth() })

beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t?.close())

describe('Slack export', () => {
  const slackTypes = {
    'comment.created': 2,
    'file.shared': 1,
    'file.uploaded': 1,
    'group.created': 2,
    'group.joined': 2,
    'group.left': 1,
    'mention.added': 2,
    'post.created': 3,
    'reaction.added': 3,
  }

  it('dry run: the summary, nothing written', async () => {
    const res = await upload('slk', 'slack', zipFolder(path.join(fixtures, 'slack')), '?dry_run=1&tz=UTC')
    expect(res.statusCode).toBe(200)
    const s = res.json()
    expect(s).toMatchObject({
      dryRun: true,
      events: 17,
      eventsByType: slackTypes,
      people: 4,
      spaces: 2,
      roster: 4,
      refused: 2,
    })
    expect(s.firstEvent).toBe('2024-01-08T09:00:00.000Z')
    expect(s.lastEvent).toBe('2024-01-09T11:33:20.000Z')
    expect(s.skipped).toEqual({
      'bot message': 1,
      'edit (the message counts once, as written)': 1,
      'deleted message (tombstone, author unknown)': 1,
      'deletion notice': 1,
      'reaction whose user is not in the export (Slack lists a limited number)': 1,
    })
    expect(await countStored(t.runtime, 'slk')).toEqual({ final: 0, distinct: 0 })
  })

  it('imported twice, each thing counts once', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await upload('slk', 'slack', zipFolder(path.join(fixtures, 'slack')))
      expect(res.statusCode).toBe(200)
      expect(res.json().events).toBe(17)
    }
    expect(await countStored(t.runtime, 'slk')).toEqual({ final: 17, distinct: 17 })
    expect(await typesOf('slk')).toEqual(slackTypes)
  })

  it('keeps threads, mentions, reactions and files as the export says', async () => {
    const events = await rows<{
      id: string
      type: string
      actor: string
      target: string
      parent: string
      time: string
      space: string
    }>(
      `SELECT id, type, actor, target, parent, toString(time) AS time, space FROM events FINAL
       WHERE org = 'slk' AND type IN ('comment.created', 'reaction.added', 'file.shared', 'mention.added', 'group.left')
       ORDER BY type, time, actor`,
      {},
    )
    expect(events.map((e) => [e.type, e.actor, e.target, e.parent, e.time, e.space])).toEqual([
      ['comment.created', 'U02', '', 'C01:1704705000.000200', '2024-01-08 09:26:40.000', 'general'],
      // The reply of the next day still has the thread's first message as parent.
      ['comment.created', 'U03', '', 'C01:1704705000.000200', '2024-01-09 08:46:40.000', 'general'],
      ['file.shared', 'U02', 'U04', '', '2024-01-09 10:26:40.000', 'general'],
      ['group.left', 'U03', '', '', '2024-01-09 10:10:00.000', 'general'],
      ['mention.added', 'U01', 'U02', '', '2024-01-08 09:10:00.000', 'general'],
      ['mention.added', 'U01', 'U03', '', '2024-01-08 09:10:00.000', 'general'],
      // Reactions carry no time in an export: the message's.
      ['reaction.added', 'U02', 'U01', '', '2024-01-08 09:10:00.000', 'general'],
      ['reaction.added', 'U04', 'U01', '', '2024-01-08 09:10:00.000', 'general'],
      ['reaction.added', 'U01', 'U04', '', '2024-01-09 11:33:20.000', 'projets'],
    ])
  })

  it('puts refused messages in the rejected store with their file and line', async () => {
    expect(await rejectedReasons('slk')).toEqual([
      'general/2024-01-08.json line 89: user: required (who wrote the message)',
      'projets/2024-01-09.json line 25: ts: missing or not a Slack timestamp',
    ])
  })

  it('gives a roster without bots, the deleted user gone the day after their last message', async () => {
    const people = await rows<{ person_id: string; left_at: string | null }>(
      `SELECT person_id, toString(left_at) AS left_at FROM roster WHERE org = 'slk'
       AND snapshot = (SELECT max(snapshot) FROM roster WHERE org = 'slk') ORDER BY person_id`,
      {},
    )
    expect(people).toEqual([
      { person_id: 'U01', left_at: null },
      { person_id: 'U02', left_at: null },
      { person_id: 'U03', left_at: '2024-01-10' },
      { person_id: 'U04', left_at: null },
    ])
  })

  it('adoption metrics agree with the fixture', async () => {
    // Workforce on 14 January: U01, U02, U04 (U03 left on the 10th). First engaged events: U01
    // creates #general at 09:00 on the 8th; U02 and U04 react to the welcome at 09:10 (tie
    // broken by id). The launch cohort is the roster on the launch day (8 January), U03 with
    // them: L = 4, leavers kept. U03 adopts after them. Ranks 1/4, 2/4 (on the cut), 3/4:
    // early majority, early majority, late majority.
    const adopters = await get('/v1/orgs/slk/metrics/adopters?from=2024-01-08&to=2024-01-15')
    expect(adopters.statusCode).toBe(200)
    expect(adopters.json()).toEqual({
      workforce_source: 'roster',
      total: 3,
      person_list: 'shown',
      segments: [
        { segment: 'innovators', people: 0 },
        { segment: 'early_adopters', people: 0 },
        { segment: 'early_majority', people: 2 },
        { segment: 'late_majority', people: 1 },
        { segment: 'laggards', people: 0 },
        { segment: 'non_adopters', people: 0 },
      ],
      people: [
        {
          person: 'U01',
          segment: 'early_majority',
          adopted_on: '2024-01-08',
          cohort: 'launch', // everyone adopted on the launch day, 8 January: 0 days
          days_to_adopt: 0,
          department: '',
          site: '',
        },
        {
          person: 'U02',
          segment: 'early_majority',
          adopted_on: '2024-01-08',
          cohort: 'launch', // everyone adopted on the launch day, 8 January: 0 days
          days_to_adopt: 0,
          department: '',
          site: '',
        },
        {
          person: 'U04',
          segment: 'late_majority',
          adopted_on: '2024-01-08',
          cohort: 'launch', // everyone adopted on the launch day, 8 January: 0 days
          days_to_adopt: 0,
          department: '',
          site: '',
        },
      ],
    })
    const adoption = await get('/v1/orgs/slk/metrics/adoption?from=2024-01-08&to=2024-01-15')
    expect(adoption.json()).toMatchObject({ workforce: 3, adopters: 3, rate: 1 })
  })
})

describe('Viva Engage export', () => {
  const engageTypes = {
    'comment.created': 2,
    'file.uploaded': 2,
    'group.created': 2,
    'mention.added': 2,
    'message.sent': 1,
    'post.created': 2,
    'session.started': 3,
  }

  it('imported twice, each thing counts once; bad rows refused with file and line', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await upload('eng', 'engage', zipFolder(path.join(fixtures, 'engage')))
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({
        events: 14,
        eventsByType: engageTypes,
        roster: 4,
        refused: 2,
        spaces: 2,
      })
      expect(res.json().skipped).toEqual({
        'message not sent by a user (System)': 1,
        'earlier version of a message (counted once)': 1,
      })
    }
    expect(await countStored(t.runtime, 'eng')).toEqual({ final: 14, distinct: 14 })
    expect(await typesOf('eng')).toEqual(engageTypes)
    expect(await rejectedReasons('eng')).toEqual([
      'Files.csv line 4: uploader_id: required',
      'Messages.csv line 10: created_at: not a date-time: "hier"',
    ])
  })

  it('maps replies, private messages and files without a group', async () => {
    const events = await rows<{
      type: string
      actor: string
      target: string
      parent: string
      space: string
      time: string
    }>(
      `SELECT type, actor, target, parent, space, toString(time) AS time FROM events FINAL
       WHERE org = 'eng' AND type IN ('comment.created', 'message.sent', 'file.uploaded') ORDER BY time`,
      {},
    )
    expect(events).toEqual([
      {
        type: 'file.uploaded',
        actor: '101',
        target: '',
        parent: '',
        space: 'Marketing',
        time: '2023-06-10 09:05:00.000',
      },
      {
        type: 'comment.created',
        actor: '102',
        target: '101',
        parent: 'msg:301',
        space: 'Marketing',
        time: '2023-06-11 10:00:00.000',
      },
      // A deleted reply still happened; it answers 302, written by 102.
      {
        type: 'comment.created',
        actor: '103',
        target: '102',
        parent: 'msg:301',
        space: 'Marketing',
        time: '2023-06-12 11:00:00.000',
      },
      {
        type: 'message.sent',
        actor: '104',
        target: '101',
        parent: '',
        space: '',
        time: '2023-06-20 14:00:00.000',
      },
      {
        type: 'file.uploaded',
        actor: '104',
        target: '',
        parent: '',
        space: '',
        time: '2023-06-22 16:00:00.000',
      },
    ])
  })

  it('adoption metrics agree with the fixture, by department', async () => {
    // Workforce on 14 June: the four users (Chloé leaves in September). Signing in is a view and
    // adopts nobody; 101 creates Marketing on 5 June, 102 IT Help on 6 June, 103 replies on 12
    // June; 104 writes first on 20 June, after the range. 3 of 4.
    const adopters = await get('/v1/orgs/eng/metrics/adopters?from=2023-06-01&to=2023-06-15')
    expect(adopters.json()).toEqual({
      workforce_source: 'roster',
      total: 4,
      person_list: 'shown',
      segments: [
        { segment: 'innovators', people: 0 },
        { segment: 'early_adopters', people: 0 },
        { segment: 'early_majority', people: 2 },
        { segment: 'late_majority', people: 1 },
        { segment: 'laggards', people: 0 },
        { segment: 'non_adopters', people: 1 },
      ],
      people: [
        {
          person: '101',
          segment: 'early_majority',
          adopted_on: '2023-06-05',
          cohort: 'launch', // the launch: 5 June, the first engaged event (101's)
          days_to_adopt: 0,
          department: 'Marketing',
          site: 'Paris',
        },
        {
          person: '102',
          segment: 'early_majority',
          adopted_on: '2023-06-06',
          cohort: 'launch',
          days_to_adopt: 1, // 5 → 6 June
          department: '',
          site: 'Lyon',
        },
        {
          person: '103',
          segment: 'late_majority',
          adopted_on: '2023-06-12',
          cohort: 'launch',
          days_to_adopt: 7, // 5 → 12 June
          department: 'IT',
          site: 'Paris',
        },
        {
          person: '104',
          segment: 'non_adopters',
          adopted_on: null,
          cohort: 'launch',
          days_to_adopt: null,
          department: 'IT',
          site: 'Lyon',
        },
      ],
    })
    const adoption = await get('/v1/orgs/eng/metrics/adoption?from=2023-06-01&to=2023-06-15')
    expect(adoption.json()).toMatchObject({ workforce: 4, adopters: 3, rate: 0.75 })
  })
})

describe('generic activity CSV', () => {
  const query =
    '?filename=activity-latin1.csv&map=type=Action,time=Date,actor=Utilisateur,space=Espace' +
    `&types=${encodeURIComponent("Publication=post.created,Commentaire=comment.created:groups,J'aime=reaction.added:groups")}`

  it('reads a ; separated Latin-1 file with French dates in Paris time, twice', async () => {
    const body = readFileSync(path.join(fixtures, 'activity-latin1.csv'))
    for (let i = 0; i < 2; i++) {
      const res = await upload('csvfr', 'csv', body, query, 'text/csv')
      expect(res.statusCode).toBe(200)
      // 7 rows: 4 events, one exact repeat of the first row, a 32 March, an unmapped action.
      expect(res.json()).toMatchObject({
        events: 4,
        duplicates: 1,
        refused: 2,
        people: 3,
        timeZone: 'Europe/Paris',
      })
    }
    expect(await countStored(t.runtime, 'csvfr')).toEqual({ final: 4, distinct: 4 })
    const events = await rows<{ type: string; actor: string; space: string; time: string }>(
      "SELECT type, actor, space, toString(time) AS time FROM events FINAL WHERE org = 'csvfr' ORDER BY time",
      {},
    )
    expect(events).toEqual([
      {
        type: 'post.created',
        actor: 'marie.dupont',
        space: "Comité d'entreprise",
        time: '2024-03-05 08:30:00.000',
      },
      {
        type: 'comment.created',
        actor: 'jérôme.martin',
        space: "Comité d'entreprise",
        time: '2024-03-05 09:15:00.000',
      },
      {
        type: 'reaction.added',
        actor: 'marie.dupont',
        space: "Comité d'entreprise",
        time: '2024-03-06 07:00:00.000',
      },
      // 02:30 does not exist in Paris on 31 March 2024 (clocks go from 02:00 to 03:00): 03:30 summer time.
      { type: 'post.created', actor: 'élodie', space: 'Général', time: '2024-03-31 01:30:00.000' },
    ])
    expect(await rejectedReasons('csvfr')).toEqual([
      'activity-latin1.csv line 6: time: not a date-time (ISO or dd/mm/yyyy HH:MM): "32/03/2024 10:00"',
      'activity-latin1.csv line 7: type: no event type for "Téléchargement" (add "Téléchargement=<type>" to --types)',
    ])
  })

  it('adoption without a roster: the actors, adopted at their first action', async () => {
    const adopters = await get('/v1/orgs/csvfr/metrics/adopters?from=2024-03-01&to=2024-04-01')
    expect(adopters.json()).toMatchObject({
      workforce_source: 'actors',
      total: 3,
      people: [
        { person: 'marie.dupont', adopted_on: '2024-03-05' },
        { person: 'jérôme.martin', adopted_on: '2024-03-05' },
        { person: 'élodie', adopted_on: '2024-03-31' },
      ],
    })
  })

  it('refuses an import route call from a role that may not ingest', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/tokens',
      headers: auth(),
      payload: { role: 'exec', orgs: ['csvfr'] },
    })
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/orgs/csvfr/imports/csv${query}`,
      headers: { ...auth(created.json().token), 'content-type': 'text/csv' },
      payload: readFileSync(path.join(fixtures, 'activity-latin1.csv')),
    })
    expect(res.statusCode).toBe(403)
  })

  it('names the missing column', async () => {
    const res = await upload(
      'csvfr',
      'csv',
      readFileSync(path.join(fixtures, 'activity-latin1.csv')),
      '?map=type=Kind,time=Date,actor=Utilisateur',
      'text/csv',
    )
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toMatch(/no column "Kind" \(for type\)/)
  })

  it('refuses a file with a quote never closed, naming the line, and writes nothing of it', async () => {
    const broken = Buffer.from(
      'Action;Date;Utilisateur\nPublication;05/03/2024 09:30;"anna\nPublication;05/03/2024 10:30;ben\n',
    )
    const res = await upload(
      'csvquote',
      'csv',
      broken,
      '?filename=broken.csv&map=type=Action,time=Date,actor=Utilisateur',
      'text/csv',
    )
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toBe(
      'broken.csv line 2: a quoted field is never closed (started at column 3: "anna); ' +
        'nothing was imported — fix the quote and import the file again',
    )
    expect(await countStored(t.runtime, 'csvquote')).toEqual({ final: 0, distinct: 0 })
  })
})

describe('implication import (command line)', () => {
  const run = promisify(execFile)
  const cli = (args: string[], env: Record<string, string> = {}) =>
    run(process.execPath, ['--import', 'tsx', path.join(root, 'server/cli.ts'), 'import', ...args], {
      cwd: root,
      env: { ...process.env, ...env },
    })

  it('--dry-run prints the closing summary', async () => {
    const { stdout } = await cli([
      'slack',
      path.join(fixtures, 'slack'),
      '--org',
      'cli',
      '--dry-run',
      '--tz',
      'UTC',
    ])
    expect(stdout).toMatch(/^dry run: nothing written\. import slack into org "cli"/)
    expect(stdout).toMatch(/events: 17\n/)
    expect(stdout).toMatch(/reaction\.added +3\n/)
    expect(stdout).toMatch(/refused: 2\n +general\/2024-01-08\.json line 89: user: required/)
  })

  it('stops on a CSV with a quote never closed, naming the file and line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'implication-import-'))
    const file = path.join(dir, 'broken.csv')
    writeFileSync(
      file,
      'Type,When,Who\npost.created,2024-04-02T09:00:00+02:00,"zoé\npost.created,2024-04-02,yann\n',
    )
    const failed = await cli([
      'csv',
      file,
      '--org',
      'cli',
      '--map',
      'type=Type,time=When,actor=Who',
      '--dry-run',
      '--tz',
      'UTC',
    ]).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    )
    expect(failed?.code).toBe(1)
    expect(failed?.stderr).toBe(
      'implication import: broken.csv line 2: a quoted field is never closed (started at column 3: "zoé); ' +
        'nothing was imported — fix the quote and import the file again\n',
    )
  })

  it('--to sends a UTF-8 CSV with an id column through the API', async () => {
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 })
    const { stdout } = await cli([
      'csv',
      path.join(fixtures, 'activity-utf8.csv'),
      '--org',
      'viaapi',
      '--map',
      'id=EventId,type=Type,time=When,actor=Who,space=Where',
      '--types',
      'Like=reaction.added:groups',
      '--to',
      address,
      '--token',
      auth().authorization!.slice('Bearer '.length),
    ])
    expect(stdout).toMatch(/API accepted 2 and refused 0/)
    // The direct sink writes within its flush interval.
    await new Promise((resolve) => setTimeout(resolve, 300))
    const events = await rows<{ id: string; type: string; actor: string; time: string; source: string }>(
      "SELECT id, type, actor, toString(time) AS time, source FROM events FINAL WHERE org = 'viaapi' ORDER BY id",
      {},
    )
    expect(events).toEqual([
      { id: 'e-1', type: 'post.created', actor: 'zoé', time: '2024-04-02 07:00:00.000', source: 'csv' },
      { id: 'e-2', type: 'reaction.added', actor: 'yann', time: '2024-04-02 10:00:00.000', source: 'csv' },
    ])
  })
})
