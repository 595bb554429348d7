// Communities (groups, the `space` of events): created by community managers and keen people, for
// a department or across the company; they grow as people join, and some go dormant.
import { slugOf } from './organisation.ts'
import type { Random } from './random.ts'

export interface Community {
  index: number
  /** The `space` events carry. */
  id: string
  /** The department it is for, -1 when company-wide. */
  department: number
  creator: number
  createdDay: number
  /** From this day on nobody posts in it any more; Infinity for the lasting ones. */
  dormantFrom: number
  members: number[]
}

const departmentTopics = [
  'team',
  'news',
  'projects',
  'best-practices',
  'onboarding',
  'tools',
  'knowledge-base',
  'quality-circle',
  'social',
  'improvements',
]
const companyTopics = [
  'company-news',
  'newcomers',
  'ask-it',
  'innovation-ideas',
  'green-team',
  'running-club',
  'carpooling',
  'excel-tips',
  'ai-at-work',
  'safety-first',
  'customer-voice',
  'mentoring',
  'lean-management',
  'remote-work',
  'book-club',
  'photography',
  'volunteering',
  'hackathon',
  'digital-workplace',
  'women-in-leadership',
  'music',
  'football',
  'cooking',
  'travel-tips',
  'parents-network',
]

export class Communities {
  readonly list: Community[] = []
  /** The communities each person belongs to. */
  readonly memberships: number[][]
  readonly byDepartment: number[][]
  readonly companyWide: number[] = []
  private readonly taken = new Set<string>()
  private readonly memberOf: Set<number>[]

  constructor(people: number, departments: number) {
    this.memberships = Array.from({ length: people }, () => [])
    this.memberOf = Array.from({ length: people }, () => new Set<number>())
    this.byDepartment = Array.from({ length: departments }, () => [])
  }

  create(
    creator: number,
    day: number,
    department: { index: number; name: string } | null,
    lasting: boolean,
    rng: Random,
  ): Community {
    let base: string
    if (department) {
      const used = this.byDepartment[department.index]!.length
      base = `${slugOf(department.name)}-${departmentTopics[used % departmentTopics.length]}`
    } else {
      base = companyTopics[this.companyWide.length % companyTopics.length]!
    }
    let id = base
    for (let n = 2; this.taken.has(id); n++) id = `${base}-${n}`
    this.taken.add(id)
    const community: Community = {
      index: this.list.length,
      id,
      department: department ? department.index : -1,
      creator,
      createdDay: day,
      dormantFrom:
        lasting || rng.chance(0.7) ? Number.POSITIVE_INFINITY : day + 30 + Math.round(rng.exponential(120)),
      members: [],
    }
    this.list.push(community)
    if (department) this.byDepartment[department.index]!.push(community.index)
    else this.companyWide.push(community.index)
    this.join(creator, community.index)
    return community
  }

  isMember(person: number, community: number): boolean {
    return this.memberOf[person]!.has(community)
  }

  join(person: number, community: number): void {
    if (this.memberOf[person]!.has(community)) return
    this.memberOf[person]!.add(community)
    this.memberships[person]!.push(community)
    this.list[community]!.members.push(person)
  }

  leave(person: number, community: number): void {
    if (!this.memberOf[person]!.delete(community)) return
    const mine = this.memberships[person]!
    mine.splice(mine.indexOf(community), 1)
    const members = this.list[community]!.members
    members.splice(members.indexOf(person), 1)
  }

  isLive(community: number, day: number): boolean {
    return day < this.list[community]!.dormantFrom
  }
}
