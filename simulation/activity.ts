// Day by day, what everyone does: lurking before adopting, the planned interaction and first engaged
// event of each adoption, sessions once adopted (views, reactions, comments, shares, creations),
// answers to questions, votes, joins, and the daily email count. One day is held at a time.
import type { CatalogueType, Feature } from '../schemas/event-catalogue.ts'
import { dayMs, hourMs, monthOf, weekdayOf } from './calendar.ts'
import { Communities } from './communities.ts'
import { type ContentItem, type ContentKind, ContentLibrary, featureOfKind } from './content.ts'
import { type Adoption, type DiffusionWorld, toSeconds, workingHour } from './diffusion.ts'
import { emailCount } from './email.ts'
import type { SimEvent } from './event-format.ts'
import { featureLaunch, featureUptake } from './features.ts'
import { isEmployed } from './organisation.ts'
import type { Random } from './random.ts'

export interface ActivityWorld extends DiffusionWorld {
  adoptions: readonly Adoption[]
}

export interface SimulatedDay {
  day: number
  /** In time order. */
  events: SimEvent[]
}

/** What an adoption needs at its three moments: what the influencer made, where they invited to. */
interface AdoptionPlan {
  adoption: Adoption
  item: ContentItem | null
  community: number
}

type AgendaItem =
  | { kind: 'content' | 'interaction' | 'adoption'; time: number; order: number; plan: AdoptionPlan }
  | { kind: 'answer'; time: number; order: number; question: ContentItem; self: boolean }
  | { kind: 'vote'; time: number; order: number; poll: ContentItem; voter: number }
  | { kind: 'join'; time: number; order: number; person: number; community: number }
  | { kind: 'seed'; time: number; order: number; person: number; content: ContentKind }

interface Created {
  item: ContentItem
  event: SimEvent
}

type UptakeFeature = keyof typeof featureLaunch
const uptakeFeatures = Object.keys(featureLaunch) as UptakeFeature[]

type CreateKind = ContentKind | 'wiki-edit' | 'community'
const createKinds: ReadonlyArray<{ kind: CreateKind; weight: number; feature: UptakeFeature }> = [
  { kind: 'post', weight: 30, feature: 'groups' },
  { kind: 'file', weight: 14, feature: 'files' },
  { kind: 'wiki-edit', weight: 12, feature: 'wiki' },
  { kind: 'wiki', weight: 4, feature: 'wiki' },
  { kind: 'article', weight: 5, feature: 'articles' },
  { kind: 'question', weight: 8, feature: 'qa' },
  { kind: 'poll', weight: 2.5, feature: 'events' },
  { kind: 'meeting', weight: 2.5, feature: 'events' },
  // Weighed at the time: often while there are few communities, seldom after.
  { kind: 'community', weight: 0, feature: 'groups' },
]

type ContributeKind =
  | 'message.sent'
  | 'mention.added'
  | 'file.shared'
  | 'bookmark.shared'
  | 'member.invited'
  | 'follow.added'
  | 'group.joined'
const contributeKinds: ReadonlyArray<{ kind: ContributeKind; weight: number; feature: UptakeFeature }> = [
  { kind: 'message.sent', weight: 30, feature: 'messaging' },
  { kind: 'mention.added', weight: 12, feature: 'groups' },
  { kind: 'file.shared', weight: 10, feature: 'files' },
  { kind: 'bookmark.shared', weight: 5, feature: 'bookmarks' },
  { kind: 'member.invited', weight: 10, feature: 'groups' },
  // Following people has no take-up of its own: there from the launch, like groups.
  { kind: 'follow.added', weight: 8, feature: 'groups' },
  { kind: 'group.joined', weight: 15, feature: 'groups' },
]

const createType: Record<ContentKind, CatalogueType> = {
  post: 'post.created',
  article: 'article.published',
  wiki: 'wiki.created',
  file: 'file.uploaded',
  question: 'question.asked',
  poll: 'poll.created',
  meeting: 'event.scheduled',
}

/**
 * Chances per view (react, comment, bookmark) or per session (contribute, create), rising steeply
 * with engagement: most people mostly read, a few write most of what there is to read.
 */
const participation = {
  react: (e: number) => Math.min(0.4, 0.004 * e ** 1.4),
  comment: (e: number) => Math.min(0.2, 0.002 * e ** 1.4),
  bookmark: (e: number) => Math.min(0.05, 0.0015 * e),
  contribute: (e: number) => Math.min(0.4, 0.006 * e ** 1.4),
  create: (e: number) => Math.min(0.4, 0.0008 * e ** 2.2),
}

/** Relative activity of a working weekday (Monday to Friday). */
const weekdayRhythm = [1, 1.05, 0.97, 1, 0.82]

export class ActivityGenerator {
  private readonly library: ContentLibrary
  readonly communities: Communities
  private readonly agenda: AgendaItem[][]
  private readonly adoptionDay: Float64Array
  private events: SimEvent[] = []
  private seq = 0
  private order = 0
  private day = 0
  private working = false
  private dayFactor = 1
  private readonly uptake: Record<UptakeFeature, number>
  /** Adopted before today, employed, present and not dormant: who answers, votes, is mentioned. */
  private activeAdopters: number[] = []

  constructor(
    private readonly world: ActivityWorld,
    private readonly rng: Random,
  ) {
    const n = world.org.people.length
    this.library = new ContentLibrary(world.org.departments.length)
    this.communities = new Communities(n, world.org.departments.length)
    this.agenda = Array.from({ length: world.calendar.days }, () => [])
    this.adoptionDay = new Float64Array(n).fill(Number.POSITIVE_INFINITY)
    this.uptake = Object.fromEntries(uptakeFeatures.map((f) => [f, 0])) as Record<UptakeFeature, number>
    for (const adoption of world.adoptions) {
      this.adoptionDay[adoption.person] = Math.floor(adoption.time / dayMs)
      const plan: AdoptionPlan = { adoption, item: null, community: -1 }
      if (adoption.path === 'content')
        this.schedule({ kind: 'content', time: adoption.contentTime, order: 0, plan })
      if (adoption.influencer >= 0) {
        this.schedule({ kind: 'interaction', time: adoption.interactionTime, order: 0, plan })
      }
      this.schedule({ kind: 'adoption', time: adoption.time, order: 0, plan })
      if (adoption.path === 'seed') this.scheduleSeedContent(adoption)
    }
  }

  /** Community managers fill the platform in its first week: a handbook, files, a welcome post. */
  private scheduleSeedContent(adoption: Adoption): void {
    const { calendar } = this.world
    const seeds: ContentKind[] = ['wiki', 'file', 'post', 'wiki', 'file', 'post']
    let day = Math.floor(adoption.time / dayMs)
    for (const content of seeds) {
      do day++
      while (!calendar.isWorkingDay(day) && day < calendar.endDay)
      const time = toSeconds(calendar.parisTime(day, workingHour(this.rng)))
      this.schedule({ kind: 'seed', time, order: 0, person: adoption.person, content })
    }
  }

  *days(): Generator<SimulatedDay> {
    const { calendar } = this.world
    for (let day = calendar.startDay; day < calendar.endDay; day++) {
      this.beginDay(day)
      for (let u = 0; u < this.world.org.people.length; u++) this.personDay(u)
      this.runAgenda()
      this.library.publishStaged()
      const events = this.events
      this.events = []
      events.sort((a, b) => a.time - b.time || a.seq - b.seq)
      yield { day, events }
    }
  }

  private beginDay(day: number): void {
    const { calendar, org, lifecycle, absences } = this.world
    this.day = day
    this.working = calendar.isWorkingDay(day)
    const august = monthOf(day) === 7 ? 0.85 : 1
    this.dayFactor = this.working ? weekdayRhythm[weekdayOf(day)]! * august : 0.06
    const progress = (day - calendar.startDay) / calendar.days
    for (const f of uptakeFeatures) this.uptake[f] = featureUptake(f, progress)
    this.activeAdopters = []
    for (const p of org.people) {
      const u = p.index
      if (
        this.adoptionDay[u]! < day &&
        isEmployed(p, day) &&
        !lifecycle.isDormant(u, day) &&
        !absences.isAway(u, day)
      ) {
        this.activeAdopters.push(u)
      }
    }
  }

  private schedule(item: AgendaItem): void {
    const offset = Math.floor(item.time / dayMs) - this.world.calendar.startDay
    if (offset < 0 || offset >= this.agenda.length) return
    item.order = this.order++
    this.agenda[offset]!.push(item)
  }

  private emit(
    time: number,
    type: CatalogueType,
    actor: number,
    feature: Feature | '' = '',
    space = '',
    object = '',
    parent = '',
    target = -1,
    count = 0,
  ): SimEvent {
    const event: SimEvent = {
      time,
      seq: this.seq++,
      type,
      actor,
      feature,
      space,
      object,
      parent,
      target,
      count,
      interactionOf: -1,
      adoptionOf: -1,
    }
    this.events.push(event)
    return event
  }

  // ── one person, one day ────────────────────────────────────────────────────────────────────

  private personDay(u: number): void {
    const { org, absences, lifecycle, traits } = this.world
    const person = org.people[u]!
    if (!isEmployed(person, this.day) || absences.isAway(u, this.day)) return
    const adopted = this.adoptionDay[u]! < this.day
    const dormant = adopted && lifecycle.isDormant(u, this.day)
    if (this.working) {
      const weeks = adopted ? (this.day - this.adoptionDay[u]!) / 7 : -1
      const count = emailCount(
        {
          baseline: traits.emailBaseline[u]!,
          engagement: traits.engagement[u]!,
          weeksSinceAdoption: weeks,
          dormant,
        },
        this.rng,
      )
      if (count > 0) this.emit(this.at(19), 'email.sent', u, '', '', '', '', -1, Math.min(count, 1_000_000))
    }
    if (this.adoptionDay[u] === this.day || dormant) return
    if (adopted) this.adopterDay(u)
    else if (this.rng.chance(traits.lurk[u]! * (this.working ? 1 : 0.05))) this.lurk(u)
  }

  /** UTC ms of a Paris wall-clock hour today. */
  private at(hours: number): number {
    return toSeconds(this.world.calendar.parisTime(this.day, hours))
  }

  private sessionStart(): number {
    return this.working ? this.at(workingHour(this.rng)) : this.at(9 + 13 * this.rng.next())
  }

  private step(t: number): number {
    return t + 1000 * (20 + this.rng.int(220))
  }

  private lurk(u: number): void {
    let t = this.sessionStart()
    this.emit(t, 'session.started', u)
    const views = 1 + this.rng.poisson(1)
    for (let i = 0; i < views; i++) {
      t = this.step(t)
      const item = this.pickContent(u)
      if (!item) break
      this.emit(t, 'content.viewed', u, item.feature, item.space, item.id)
    }
    if (this.rng.chance(0.3)) this.emit(this.step(t), 'search.performed', u)
  }

  private pickContent(u: number): ContentItem | undefined {
    const person = this.world.org.people[u]!
    return this.library.pickFor(person.department, this.communities.memberships[u]!, this.rng)
  }

  private adopterDay(u: number): void {
    const e = this.world.traits.engagement[u]!
    const sinceAdoption = this.day - this.adoptionDay[u]!
    const maturity = Math.min(1, 0.5 + sinceAdoption / 112)
    const pActive = Math.min(0.9, 0.2 * e ** 0.8) * maturity * this.dayFactor
    if (!this.rng.chance(pActive)) return
    const sessions = 1 + this.rng.poisson(Math.min(3, 0.15 * e))
    for (let s = 0; s < sessions; s++) this.session(u, e)
  }

  private session(u: number, e: number): void {
    const rng = this.rng
    const dayEnd = (this.day + 1) * dayMs - 2 * hourMs
    let t = this.sessionStart()
    this.emit(t, 'session.started', u)
    const pReact = participation.react(e)
    const pComment = participation.comment(e)
    const pBookmark = participation.bookmark(e) * this.uptake.bookmarks
    const views = 1 + rng.poisson(2.5)
    for (let i = 0; i < views && t < dayEnd; i++) {
      t = this.step(t)
      const item = this.pickContent(u)
      if (!item) break
      this.emit(t, 'content.viewed', u, item.feature, item.space, item.id)
      if (rng.chance(pReact)) {
        t = this.step(t)
        this.emit(t, 'reaction.added', u, item.feature, item.space, item.id)
      }
      // Answering a question takes knowing the answer: readers reply to questions less often.
      if (rng.chance(item.kind === 'question' ? 0.3 * pComment : pComment)) {
        t = this.step(t)
        this.reply(t, u, item)
      }
      if (rng.chance(pBookmark)) {
        t = this.step(t)
        this.emit(t, 'bookmark.added', u, '', item.space, item.id)
      }
    }
    if (rng.chance(0.2)) {
      t = this.step(t)
      this.emit(t, 'search.performed', u)
    }
    if (rng.chance(participation.contribute(e))) {
      t = this.step(t)
      this.contribute(t, u)
    }
    if (rng.chance(participation.create(e))) {
      t = this.step(t)
      this.create(t, u)
    }
    const mine = this.communities.memberships[u]!
    if (mine.length > 0) {
      const c = mine[rng.int(mine.length)]!
      if (rng.chance(this.communities.isLive(c, this.day) ? 0.003 : 0.05)) {
        this.emit(this.step(t), 'group.left', u, '', this.communities.list[c]!.id)
        this.communities.leave(u, c)
      }
    }
  }

  private reply(t: number, u: number, item: ContentItem): void {
    const target = item.creator !== u ? item.creator : -1
    if (item.kind === 'question') {
      this.emit(t, 'answer.created', u, '', item.space, this.library.nextId('answer'), item.id, target)
    } else {
      this.emit(
        t,
        'comment.created',
        u,
        item.feature,
        item.space,
        this.library.nextId('comment'),
        item.id,
        target,
      )
    }
  }

  /** An adopted colleague, most often a neighbour in the graph; -1 when there is none. */
  private colleagueOf(u: number): number {
    const neighbours = this.world.graph.neighbours[u]!
    if (neighbours.length > 0 && this.rng.chance(0.75)) {
      for (let tries = 0; tries < 6; tries++) {
        const v = neighbours[this.rng.int(neighbours.length)]!
        if (this.isAvailableAdopter(v)) return v
      }
    }
    if (this.activeAdopters.length === 0) return -1
    const v = this.activeAdopters[this.rng.int(this.activeAdopters.length)]!
    return v === u ? -1 : v
  }

  /** Adopted before today and employed today: may be the target of an interaction. */
  private isAvailableAdopter(v: number): boolean {
    return this.adoptionDay[v]! < this.day && isEmployed(this.world.org.people[v]!, this.day)
  }

  /** May act today on someone else's behalf (answer, vote, join): also present and not dormant. */
  private canAct(v: number): boolean {
    return (
      this.isAvailableAdopter(v) &&
      !this.world.absences.isAway(v, this.day) &&
      !this.world.lifecycle.isDormant(v, this.day)
    )
  }

  private contribute(t: number, u: number): void {
    const rng = this.rng
    const kind =
      contributeKinds[rng.weighted(contributeKinds.map((k) => k.weight * this.uptake[k.feature]))]!.kind
    switch (kind) {
      case 'group.joined': {
        const c = this.communityToJoin(u)
        if (c >= 0) this.joinCommunity(t, u, c)
        return
      }
      case 'member.invited': {
        const c = this.liveCommunityOf(u)
        const target = this.colleagueOf(u)
        if (c < 0 || target < 0 || this.communities.isMember(target, c)) return
        this.invite(t, u, target, c)
        return
      }
      case 'mention.added': {
        const target = this.colleagueOf(u)
        const item = this.pickContent(u)
        if (target < 0 || !item) return
        this.emit(t, 'mention.added', u, item.feature, item.space, item.id, '', target)
        return
      }
      case 'file.shared':
      case 'bookmark.shared': {
        const target = this.colleagueOf(u)
        const item = kind === 'file.shared' ? this.library.files.pick(rng) : this.pickContent(u)
        if (target < 0 || !item) return
        this.emit(t, kind, u, '', item.space, item.id, '', target)
        return
      }
      case 'message.sent':
      case 'follow.added': {
        const target = this.colleagueOf(u)
        if (target >= 0) this.emit(t, kind, u, '', '', '', '', target)
        return
      }
    }
  }

  private invite(t: number, u: number, target: number, c: number): void {
    this.emit(t, 'member.invited', u, '', this.communities.list[c]!.id, '', '', target)
    if (this.rng.chance(0.55)) {
      const when = this.officeTime(t + this.rng.logNormal(Math.log(6 * hourMs), 1.2))
      this.schedule({ kind: 'join', time: when, order: 0, person: target, community: c })
    }
  }

  private joinCommunity(t: number, u: number, c: number): void {
    this.emit(t, 'group.joined', u, '', this.communities.list[c]!.id)
    this.communities.join(u, c)
  }

  /** A live community of the person's department or the company that they are not in yet. */
  private communityToJoin(u: number): number {
    const department = this.world.org.people[u]!.department
    const pool = this.rng.chance(0.6)
      ? this.communities.byDepartment[department]!
      : this.communities.companyWide
    for (let tries = 0; tries < 4 && pool.length > 0; tries++) {
      const c = pool[this.rng.int(pool.length)]!
      if (this.communities.isLive(c, this.day) && !this.communities.isMember(u, c)) return c
    }
    return -1
  }

  private liveCommunityOf(u: number): number {
    const mine = this.communities.memberships[u]!
    for (let tries = 0; tries < 3 && mine.length > 0; tries++) {
      const c = mine[this.rng.int(mine.length)]!
      if (this.communities.isLive(c, this.day)) return c
    }
    return -1
  }

  private create(t: number, u: number): void {
    const rng = this.rng
    const cm = this.world.org.people[u]!.communityManager
    const wanted = 3 + this.activeAdopters.length / 18
    const communityWeight = this.communities.list.length < wanted ? (cm ? 40 : 3) : 0.3
    const weights = createKinds.map((k) =>
      k.kind === 'community' ? communityWeight * this.uptake.groups : k.weight * this.uptake[k.feature],
    )
    const kind = createKinds[rng.weighted(weights)]!.kind
    if (kind === 'community') {
      this.createCommunity(t, u)
      return
    }
    if (kind === 'wiki-edit') {
      const page = this.library.wikiPages.pick(rng)
      if (page) this.emit(t, 'wiki.edited', u, '', page.space, page.id)
      else this.createItem(t, u, 'wiki', this.spaceFor(u, 0.5))
      return
    }
    const inCommunity =
      kind === 'post' || kind === 'poll' || kind === 'meeting' ? 1 : kind === 'article' ? 0.2 : 0.6
    const community = this.spaceFor(u, inCommunity)
    if (kind === 'post' && community < 0) {
      // Posts live in communities: join one first, or start one.
      const c = this.communityToJoin(u)
      if (c >= 0) {
        this.joinCommunity(t, u, c)
        this.createItem(this.step(t), u, 'post', c)
      } else this.createCommunity(t, u)
      return
    }
    this.createItem(t, u, kind, community)
  }

  /** A live community of the person with the given chance, else -1 (company-wide). */
  private spaceFor(u: number, chance: number): number {
    return this.rng.chance(chance) ? this.liveCommunityOf(u) : -1
  }

  private createItem(t: number, u: number, kind: ContentKind, community: number): Created {
    const person = this.world.org.people[u]!
    const item: ContentItem = {
      id: this.library.nextId(kind),
      kind,
      feature: featureOfKind[kind],
      creator: u,
      space: community >= 0 ? this.communities.list[community]!.id : '',
      community,
      department: person.department,
    }
    const event = this.emit(t, createType[kind], u, '', item.space, item.id)
    this.library.add(item)
    if (kind === 'question') this.scheduleAnswers(t, item)
    if (kind === 'poll' && community >= 0) this.scheduleVotes(t, item, community)
    return { item, event }
  }

  private createCommunity(t: number, u: number): number {
    const { org } = this.world
    const person = org.people[u]!
    const cm = person.communityManager
    const forDepartment = !cm && this.rng.chance(0.65)
    const department = forDepartment ? org.departments[person.department]! : null
    const community = this.communities.create(u, this.day, department, cm, this.rng)
    this.emit(t, 'group.created', u, '', community.id, community.id)
    // The founder brings a few colleagues along.
    const invitations = 2 + this.rng.int(5)
    let when = t
    for (let i = 0; i < invitations; i++) {
      when = this.step(when)
      const target = this.colleagueOf(u)
      if (target >= 0 && !this.communities.isMember(target, community.index))
        this.invite(when, u, target, community.index)
    }
    return community.index
  }

  private scheduleAnswers(t: number, question: ContentItem): void {
    const rng = this.rng
    if (rng.chance(0.72)) {
      const first = t + rng.logNormal(Math.log(2.5 * hourMs), 1.4)
      this.schedule({ kind: 'answer', time: this.officeTime(first), order: 0, question, self: false })
      const more = rng.poisson(0.7)
      for (let i = 0; i < more; i++) {
        const later = first + rng.logNormal(Math.log(8 * hourMs), 1.2)
        this.schedule({ kind: 'answer', time: this.officeTime(later), order: 0, question, self: false })
      }
    }
    if (rng.chance(0.08)) {
      const later = t + rng.logNormal(Math.log(24 * hourMs), 1)
      this.schedule({ kind: 'answer', time: this.officeTime(later), order: 0, question, self: true })
    }
  }

  private scheduleVotes(t: number, poll: ContentItem, community: number): void {
    for (const voter of this.communities.list[community]!.members) {
      const e = this.world.traits.engagement[voter]!
      if (voter === poll.creator || !this.rng.chance(Math.min(0.6, 0.12 * e))) continue
      const when = this.officeTime(t + this.rng.logNormal(Math.log(20 * hourMs), 1))
      this.schedule({ kind: 'vote', time: when, order: 0, poll, voter })
    }
  }

  /** The same time when it falls in office hours on a working day, else the next working morning. */
  private officeTime(t: number): number {
    const { calendar } = this.world
    let day = Math.floor(t / dayMs)
    const hour = (t - day * dayMs) / hourMs + calendar.parisOffset(day)
    if (calendar.isWorkingDay(day) && hour >= 7.5 && hour <= 19.5) return toSeconds(t)
    if (hour > 19.5 || !calendar.isWorkingDay(day)) day++
    while (!calendar.isWorkingDay(day)) day++
    return toSeconds(calendar.parisTime(day, 8 + 2 * this.rng.next()))
  }

  // ── the agenda: things planned for today ───────────────────────────────────────────────────

  private runAgenda(): void {
    const bucket = this.agenda[this.day - this.world.calendar.startDay]!
    while (bucket.length > 0) {
      const batch = bucket.splice(0)
      batch.sort((a, b) => a.time - b.time || a.order - b.order)
      for (const item of batch) this.runItem(item)
    }
  }

  private runItem(item: AgendaItem): void {
    switch (item.kind) {
      case 'content':
        this.influencerCreates(item.time, item.plan)
        return
      case 'interaction':
        this.interaction(item.time, item.plan)
        return
      case 'adoption':
        this.adoptionSession(item.time, item.plan)
        return
      case 'answer':
        this.answer(item.time, item.question, item.self)
        return
      case 'vote':
        if (this.canAct(item.voter))
          this.emit(item.time, 'poll.voted', item.voter, '', item.poll.space, item.poll.id)
        return
      case 'seed':
        if (this.canAct(item.person)) {
          this.createItem(item.time, item.person, item.content, this.liveCommunityOf(item.person))
        }
        return
      case 'join':
        if (this.canAct(item.person) && !this.communities.isMember(item.person, item.community)) {
          this.joinCommunity(item.time, item.person, item.community)
        }
        return
    }
  }

  private answer(t: number, question: ContentItem, self: boolean): void {
    let answerer = -1
    if (self) answerer = this.canAct(question.creator) ? question.creator : -1
    else {
      const members = question.community >= 0 ? this.communities.list[question.community]!.members : []
      for (let tries = 0; tries < 24 && answerer < 0; tries++) {
        const pool = tries < 12 && members.length > 1 ? members : this.activeAdopters
        if (pool.length === 0) break
        const v = pool[this.rng.int(pool.length)]!
        // The keen answer most.
        const keen = this.rng.chance(Math.min(1, this.world.traits.engagement[v]! / 4))
        if (v !== question.creator && keen && this.canAct(v)) answerer = v
      }
    }
    if (answerer < 0) return
    const target = answerer === question.creator ? -1 : question.creator
    this.emit(
      t,
      'answer.created',
      answerer,
      '',
      question.space,
      this.library.nextId('answer'),
      question.id,
      target,
    )
  }

  /** For the `content` path: the influencer makes what the adopter-to-be will read. */
  private influencerCreates(t: number, plan: AdoptionPlan): void {
    const v = plan.adoption.influencer
    const c = this.liveCommunityOf(v)
    plan.item = this.createItem(t, v, c >= 0 ? 'post' : 'article', c).item
  }

  /** The influencer's interaction that reaches the adopter-to-be (their ground-truth event). */
  private interaction(t: number, plan: AdoptionPlan): void {
    const { adoption } = plan
    const u = adoption.person
    const v = adoption.influencer
    let event: SimEvent
    switch (adoption.path) {
      case 'invitation': {
        const c = this.communityOf(t, v)
        plan.community = c
        event = this.emit(t, 'member.invited', v, '', this.communities.list[c]!.id, '', '', u)
        break
      }
      case 'mention': {
        const c = this.communityOf(t, v)
        plan.item = this.createItem(this.earlier(t, 30_000), v, 'post', c).item
        event = this.emit(t, 'mention.added', v, 'groups', plan.item.space, plan.item.id, '', u)
        break
      }
      case 'share': {
        plan.item =
          this.library.files.pick(this.rng) ?? this.createItem(this.earlier(t, 60_000), v, 'file', -1).item
        event = this.emit(t, 'file.shared', v, '', plan.item.space, plan.item.id, '', u)
        break
      }
      case 'message':
        event = this.emit(t, 'message.sent', v, '', '', '', '', u)
        break
      case 'content': {
        const item = plan.item!
        event = this.emit(t, 'content.viewed', u, item.feature, item.space, item.id)
        break
      }
      default:
        return
    }
    event.interactionOf = u
  }

  /** A live community the person is in, joining or starting one (just before `t`) when needed. */
  private communityOf(t: number, v: number): number {
    const mine = this.liveCommunityOf(v)
    if (mine >= 0) return mine
    const other = this.communityToJoin(v)
    if (other < 0) return this.createCommunity(this.earlier(t, 90_000), v)
    this.joinCommunity(this.earlier(t, 60_000), v, other)
    return other
  }

  /** `ms` before `t`, but never before today (events of a day stay in that day). */
  private earlier(t: number, ms: number): number {
    return Math.max(this.day * dayMs, t - ms)
  }

  /** A short visit around the first engaged event, which is the only engaged event of that day. */
  private adoptionSession(t: number, plan: AdoptionPlan): void {
    const { adoption } = plan
    const u = adoption.person
    const rng = this.rng
    this.emit(this.earlier(t, 1000 * (60 + rng.int(240))), 'session.started', u)
    const adoptionEvent = this.firstEngagedEvent(t, plan)
    adoptionEvent.adoptionOf = u
    let after = t
    const views = rng.poisson(1.2)
    for (let i = 0; i < views; i++) {
      after = this.step(after)
      const item = this.pickContent(u)
      if (item) this.emit(after, 'content.viewed', u, item.feature, item.space, item.id)
    }
  }

  private firstEngagedEvent(t: number, plan: AdoptionPlan): SimEvent {
    const { adoption } = plan
    const u = adoption.person
    const v = adoption.influencer
    switch (adoption.path) {
      case 'seed': {
        const community = this.communities.create(u, this.day, null, true, this.rng)
        return this.emit(t, 'group.created', u, '', community.id, community.id)
      }
      case 'invitation': {
        const c = plan.community
        this.communities.join(u, c)
        return this.emit(t, 'group.joined', u, '', this.communities.list[c]!.id)
      }
      case 'mention': {
        const item = plan.item!
        return this.emit(
          t,
          'comment.created',
          u,
          'groups',
          item.space,
          this.library.nextId('comment'),
          item.id,
          v,
        )
      }
      case 'share':
      case 'content': {
        const item = plan.item!
        return this.emit(t, 'reaction.added', u, item.feature, item.space, item.id)
      }
      case 'message':
        return this.emit(t, 'message.sent', u, '', '', '', '', v)
      case 'innovation':
        return this.innovation(t, u)
    }
  }

  /** Adopting on one's own: joining a community, following someone, uploading, asking… */
  private innovation(t: number, u: number): SimEvent {
    const rng = this.rng
    const choice = rng.weighted([45, 25, 10, 5, 5 * this.uptake.qa, 10])
    if (choice === 0) {
      const c = this.communityToJoin(u)
      if (c >= 0) {
        this.communities.join(u, c)
        return this.emit(t, 'group.joined', u, '', this.communities.list[c]!.id)
      }
    }
    if (choice === 1) {
      const target = this.colleagueOf(u)
      if (target >= 0) return this.emit(t, 'follow.added', u, '', '', '', '', target)
    }
    if (choice === 3) {
      const c = this.communityToJoin(u)
      if (c >= 0) {
        this.communities.join(u, c)
        return this.createItem(t, u, 'post', c).event
      }
    }
    if (choice === 4) return this.createItem(t, u, 'question', -1).event
    if (choice === 5) {
      const page = this.library.wikiPages.pick(rng)
      if (page) return this.emit(t, 'wiki.edited', u, '', page.space, page.id)
    }
    return this.createItem(t, u, 'file', -1).event
  }
}
