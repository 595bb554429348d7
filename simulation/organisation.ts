// The simulated workforce: departments of uneven size (a few large, many small, some tiny), sites,
// a manager hierarchy, hire and leave dates (leavers replaced during the period), community managers.
import type { RosterPerson } from '../schemas/roster.ts'
import { dateOf } from './calendar.ts'
import type { Random } from './random.ts'

export interface Department {
  index: number
  name: string
  /** Lower-case, `[a-z0-9-]`: used in community names. */
  slug: string
  site: number
}

export interface Person {
  index: number
  id: string
  department: number
  site: number
  /** Index of the manager, -1 for the head of the company. */
  manager: number
  /** First day employed (may be long before the period). */
  hiredDay: number
  /** First day no longer employed (exclusive); Infinity when still employed at the end. */
  leftDay: number
  communityManager: boolean
  /** Has many ties across departments (the small-world shortcuts). */
  connector: boolean
}

export interface Organisation {
  departments: Department[]
  sites: string[]
  people: Person[]
  communityManagers: number[]
}

export interface OrganisationSpec {
  employees: number
  startDay: number
  endDay: number
}

const largeDepartmentNames = [
  'Production',
  'Sales',
  'Customer Service',
  'Logistics',
  'Engineering',
  'R&D',
  'Maintenance',
  'IT',
  'Finance',
  'Marketing',
  'Purchasing',
  'Quality',
  'Human Resources',
  'Supply Chain',
  'Field Services',
  'Product Management',
  'Business Development',
  'Accounting',
  'Communication',
  'Training',
  'Health & Safety',
  'Facilities',
  'Pricing',
  'Key Accounts',
  'After-Sales',
  'Digital',
  'Data & Analytics',
  'Methods',
  'Industrialisation',
  'Planning',
  'Customer Success',
  'Partnerships',
  'Export',
  'Payroll',
  'Recruitment',
  'Design',
  'Innovation Lab',
  'Project Office',
  'Controlling',
  'Tax',
  'Security',
  'Real Estate',
  'Environment',
  'Regulatory Affairs',
  'Strategy',
  'Transformation',
  'Architecture',
  'Support Desk',
  'Tenders',
  'Customs',
]
const tinyDepartmentNames = [
  'Executive Office',
  'Internal Audit',
  'Data Protection',
  'Legal',
  'CSR',
  'Treasury',
  'Compliance',
  'Investor Relations',
  'Ethics',
  'Insurance',
]
const siteNames = ['Paris', 'Lyon', 'Nantes', 'Lille', 'Toulouse', 'Bordeaux', 'Marseille', 'Strasbourg']
const regions = ['Nord', 'Sud', 'Est', 'Ouest', 'Centre']

const firstNames = [
  'camille',
  'lea',
  'manon',
  'chloe',
  'emma',
  'ines',
  'sarah',
  'julie',
  'laura',
  'marie',
  'pauline',
  'claire',
  'sophie',
  'anne',
  'lucie',
  'celine',
  'nathalie',
  'isabelle',
  'sandrine',
  'aurelie',
  'amandine',
  'elodie',
  'nadia',
  'fatima',
  'thomas',
  'nicolas',
  'julien',
  'maxime',
  'alexandre',
  'antoine',
  'kevin',
  'romain',
  'pierre',
  'hugo',
  'lucas',
  'louis',
  'mathieu',
  'sebastien',
  'olivier',
  'david',
  'philippe',
  'laurent',
  'stephane',
  'christophe',
  'francois',
  'jerome',
  'karim',
  'mehdi',
  'yann',
  'gael',
]
const lastNames = [
  'martin',
  'bernard',
  'dubois',
  'thomas',
  'robert',
  'richard',
  'petit',
  'durand',
  'leroy',
  'moreau',
  'simon',
  'laurent',
  'lefebvre',
  'michel',
  'garcia',
  'david',
  'bertrand',
  'roux',
  'vincent',
  'fournier',
  'morel',
  'girard',
  'andre',
  'lefevre',
  'mercier',
  'dupont',
  'lambert',
  'bonnet',
  'francois',
  'martinez',
  'legrand',
  'garnier',
  'faure',
  'rousseau',
  'blanc',
  'guerin',
  'muller',
  'henry',
  'roussel',
  'nicolas',
  'perrin',
  'morin',
  'mathieu',
  'clement',
  'gauthier',
  'dumont',
  'lopez',
  'fontaine',
  'chevalier',
  'robin',
  'benali',
  'nguyen',
  'haddad',
  'le gall',
  'kerouac',
  'da silva',
  'ferreira',
  'meyer',
  'schmitt',
  'colin',
]

export function slugOf(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

/** Splits `total` into parts proportional to `weights`, exactly (largest remainders). */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  const raw = weights.map((w) => (w / sum) * total)
  const parts = raw.map(Math.floor)
  let left = total - parts.reduce((a, b) => a + b, 0)
  const order = raw
    .map((r, i) => ({ i, rest: r - Math.floor(r) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i)
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k]!.i]!++
  return parts
}

/** Department sizes: a Zipf-like spread (a few large, many small) plus a few teams of 2–4 people. */
export function departmentSizes(employees: number, rng: Random): { sizes: number[]; tiny: number } {
  const count = Math.max(2, Math.round(1.1 * Math.sqrt(employees)))
  const tiny = employees >= 40 ? Math.max(1, Math.round(count * 0.15)) : 0
  const tinySizes = Array.from({ length: tiny }, () => 2 + rng.int(3))
  const rest = employees - tinySizes.reduce((a, b) => a + b, 0)
  const weights = Array.from({ length: count - tiny }, (_, i) => rng.logNormal(0, 0.15) / (i + 1) ** 1.05)
  weights.sort((a, b) => b - a)
  return { sizes: [...apportion(rest, weights), ...tinySizes], tiny }
}

function departmentNames(main: number, tiny: number): string[] {
  const names: string[] = []
  for (let i = 0; i < main; i++) {
    const base = largeDepartmentNames[i % largeDepartmentNames.length]!
    const round = Math.floor(i / largeDepartmentNames.length)
    names.push(
      round === 0 ? base : `${base} ${regions[(round - 1) % regions.length]}${round > 5 ? round : ''}`,
    )
  }
  for (let i = 0; i < tiny; i++) {
    const base = tinyDepartmentNames[i % tinyDepartmentNames.length]!
    const round = Math.floor(i / tinyDepartmentNames.length)
    names.push(round === 0 ? base : `${base} ${round + 1}`)
  }
  return names
}

class NameBook {
  private readonly taken = new Set<string>()
  constructor(private readonly rng: Random) {}

  next(): string {
    const base = `${this.rng.pick(firstNames)}.${this.rng.pick(lastNames).replace(/ /g, '')}`
    let id = base
    for (let n = 2; this.taken.has(id); n++) id = `${base}${n}`
    this.taken.add(id)
    return id
  }
}

const managerSpan = 8
const annualTurnover = 0.08

export function buildOrganisation(spec: OrganisationSpec, rng: Random): Organisation {
  const { employees, startDay, endDay } = spec
  const days = endDay - startDay
  const siteCount = Math.min(siteNames.length, Math.max(2, Math.round(employees / 250)))
  const sites = siteNames.slice(0, siteCount)
  const siteWeights = sites.map((_, i) => 1 / (i + 1))

  const { sizes, tiny } = departmentSizes(employees, rng)
  const names = departmentNames(sizes.length - tiny, tiny)
  const departments: Department[] = names.map((name, index) => ({
    index,
    name,
    slug: slugOf(name),
    // Small and tiny departments sit at headquarters; large ones anywhere.
    site: index >= sizes.length - tiny || rng.chance(0.4) ? 0 : rng.weighted(siteWeights),
  }))

  const nameBook = new NameBook(rng)
  const people: Person[] = []
  const add = (department: number, hiredDay: number, manager: number): Person => {
    const dept = departments[department]!
    const person: Person = {
      index: people.length,
      id: nameBook.next(),
      department,
      site: rng.chance(0.8) ? dept.site : rng.weighted(siteWeights),
      manager,
      hiredDay,
      leftDay: Number.POSITIVE_INFINITY,
      communityManager: false,
      connector: false,
    }
    people.push(person)
    return person
  }

  // The first tiny team is the executive office; its first member runs the company.
  const executive = tiny > 0 ? sizes.length - tiny : 0
  const seniority = () => startDay - 1 - Math.min(35 * 365, Math.floor(rng.exponential(7 * 365)))
  const ceo = add(executive, seniority(), -1)
  const members: number[][] = departments.map(() => [])
  members[executive]!.push(ceo.index)
  sizes.forEach((size, d) => {
    const ids = members[d]!
    for (let i = ids.length; i < size; i++) ids.push(add(d, seniority(), -1).index)
    // A tree of span `managerSpan`: the head reports to the CEO, each manager to the one above.
    const [head, ...rest] = ids
    if (head === undefined) return
    if (head !== ceo.index) people[head]!.manager = ceo.index
    const managers = [head]
    let next = 0
    for (const [i, id] of rest.entries()) {
      if (i > 0 && i % managerSpan === 0) next++
      people[id]!.manager = managers[next]!
      managers.push(id)
    }
  })

  const communityManagerCount = Math.max(2, Math.round(employees / 400))
  const preferred = departments
    .filter((d) => /^(Communication|Human Resources)/.test(d.name))
    .map((d) => d.index)
  const cmPool = [...preferred, ...departments.map((d) => d.index).filter((d) => !preferred.includes(d))]
  const communityManagers: number[] = []
  for (const d of cmPool) {
    if (communityManagers.length >= communityManagerCount) break
    const candidate = members[d]!.find((id) => id !== ceo.index && !people[id]!.communityManager)
    if (candidate === undefined || members[d]!.length < 5) continue
    people[candidate]!.communityManager = true
    people[candidate]!.connector = true
    communityManagers.push(candidate)
  }
  for (const p of people) if (!p.communityManager && rng.chance(0.03)) p.connector = true

  // Leavers during the period, each replaced a few weeks later in the same team.
  const leaveChance = 1 - Math.exp((-annualTurnover * days) / 365)
  const initial = people.length
  for (let i = 1; i < initial; i++) {
    const person = people[i]!
    if (person.communityManager || !rng.chance(leaveChance)) continue
    person.leftDay = startDay + Math.floor(days * rng.between(0.03, 1))
    const hiredDay = person.leftDay + 14 + rng.int(60)
    if (hiredDay >= endDay) {
      for (const p of people) if (p.manager === i) p.manager = person.manager
      continue
    }
    const successor = add(person.department, hiredDay, person.manager)
    for (const p of people) if (p.manager === i) p.manager = successor.index
  }
  // A successor whose manager left before their arrival reports further up.
  for (const p of people) {
    while (p.manager >= 0 && people[p.manager]!.leftDay <= p.hiredDay) p.manager = people[p.manager]!.manager
  }

  return { departments, sites, people, communityManagers }
}

export function isEmployed(person: Person, day: number): boolean {
  return person.hiredDay <= day && day < person.leftDay
}

export function rosterOf(org: Organisation): RosterPerson[] {
  return org.people.map((p) => ({
    id: p.id,
    department: org.departments[p.department]!.name,
    site: org.sites[p.site]!,
    manager: p.manager >= 0 ? org.people[p.manager]!.id : undefined,
    hired_at: dateOf(p.hiredDay),
    left_at: Number.isFinite(p.leftDay) ? dateOf(p.leftDay) : undefined,
    community_manager: p.communityManager,
  }))
}

/** The roster as CSV, in the column order of EVENTS.md. */
export function rosterCsv(people: readonly RosterPerson[]): string {
  const quote = (v: string | undefined) =>
    v === undefined ? '' : /[",;\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
  const flag = (v: boolean | undefined) => (v === undefined ? undefined : String(v))
  const lines = ['id,department,site,manager,hired_at,left_at,community_manager']
  for (const p of people) {
    lines.push(
      [p.id, p.department, p.site, p.manager, p.hired_at, p.left_at, flag(p.community_manager)]
        .map(quote)
        .join(','),
    )
  }
  return `${lines.join('\n')}\n`
}
