// The folder rules of docs/ARCHITECTURE.md, checked on the code: every relative import of every
// source file must land in its own folder or in one the table lets it import, and no two files
// of the application import each other, directly or around a loop. The rules are read from the
// page itself, so the page and the code cannot drift apart.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')
const sourceExtensions = ['.ts', '.mts', '.mjs', '.js', '.svelte']

/** `folder → folders it may import`, from the "may import" column of the page's folder table. */
function readRules(): Map<string, Set<string> | 'everything'> {
  const page = readFileSync(path.join(root, 'docs/ARCHITECTURE.md'), 'utf8')
  const start = page.indexOf('## Folders and what they may import')
  if (start < 0) throw new Error('docs/ARCHITECTURE.md has no "## Folders and what they may import" section')
  const end = page.indexOf('\n## ', start + 3)
  const section = page.slice(start, end < 0 ? undefined : end)
  const rows = section.split('\n').filter((line) => /^\|\s*`[^`]+\/`/.test(line))
  const rules = new Map<string, Set<string> | 'everything'>()
  for (const row of rows) {
    const cells = row.split('|').map((cell) => cell.trim())
    const folder = /`([^`]+)\/`/.exec(cells[1] ?? '')?.[1]
    const may = cells[3] ?? ''
    if (!folder) continue
    if (/everything/.test(may)) rules.set(folder, 'everything')
    else rules.set(folder, new Set([...may.matchAll(/`([^`]+)\/`/g)].map((m) => m[1] as string)))
  }
  return rules
}

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full))
    else if (sourceExtensions.includes(path.extname(name))) out.push(full)
  }
  return out
}

/** Relative specifiers a file imports: static, re-exports, side-effect and dynamic imports. */
function relativeImports(file: string): { spec: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8')
  const found: { spec: string; typeOnly: boolean }[] = []
  const patterns = [
    /(?:^|[\s;])(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g,
    /(?:^|[\s;])import\s*['"](\.{1,2}\/[^'"]+)['"]/g,
    /\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
  ]
  for (const match of text.matchAll(patterns[0] as RegExp)) {
    found.push({ spec: match[3] as string, typeOnly: Boolean(match[2]) })
  }
  for (const pattern of patterns.slice(1)) {
    for (const match of text.matchAll(pattern)) found.push({ spec: match[1] as string, typeOnly: false })
  }
  return found
}

function topFolder(file: string): string {
  const rel = path.relative(root, file).split(path.sep)
  return rel.length > 1 ? (rel[0] as string) : '.'
}

function resolveSpec(from: string, spec: string): string {
  const target = path.resolve(path.dirname(from), spec)
  for (const candidate of [target, `${target}.ts`, path.join(target, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate
    } catch {}
  }
  return target
}

const rules = readRules()
const checked = [...rules.keys()].filter((folder) => rules.get(folder) !== 'everything')
const applicationFolders = [...rules.keys()].filter((folder) => !['tests', 'bench'].includes(folder))

describe('folder import rules (docs/ARCHITECTURE.md)', () => {
  it('the page names every top-level source folder, and each exists', () => {
    expect(rules.size).toBeGreaterThan(5)
    for (const folder of rules.keys())
      expect(statSync(path.join(root, folder)).isDirectory(), folder).toBe(true)
    const onDisk = readdirSync(root).filter(
      (name) =>
        !name.startsWith('.') &&
        !['node_modules', 'dist', 'data', 'docs'].includes(name) &&
        statSync(path.join(root, name)).isDirectory() &&
        sourceFiles(path.join(root, name)).length > 0,
    )
    expect(onDisk.filter((name) => !rules.has(name))).toEqual([])
  })

  it.each(checked)('%s/ imports only the folders it may', (folder) => {
    const allowed = rules.get(folder) as Set<string>
    const broken: string[] = []
    for (const file of sourceFiles(path.join(root, folder))) {
      for (const { spec } of relativeImports(file)) {
        const target = topFolder(resolveSpec(file, spec))
        if (target !== folder && !allowed.has(target)) {
          broken.push(`${path.relative(root, file)} imports ${spec} (${target}/)`)
        }
      }
    }
    expect(broken).toEqual([])
  })

  it('the dashboard takes only types and zod-free modules from schemas/', () => {
    const broken: string[] = []
    for (const file of sourceFiles(path.join(root, 'dashboard'))) {
      for (const { spec, typeOnly } of relativeImports(file)) {
        const target = resolveSpec(file, spec)
        if (topFolder(target) !== 'schemas' || typeOnly) continue
        if (/from\s+['"]zod['"]/.test(readFileSync(target, 'utf8'))) {
          broken.push(`${path.relative(root, file)} imports ${spec}, which loads zod into the bundle`)
        }
      }
    }
    expect(broken).toEqual([])
  })

  it('no circle of imports between application files', () => {
    const graph = new Map<string, string[]>()
    for (const folder of applicationFolders) {
      for (const file of sourceFiles(path.join(root, folder))) {
        graph.set(
          file,
          relativeImports(file).map(({ spec }) => resolveSpec(file, spec)),
        )
      }
    }
    const circles: string[] = []
    const state = new Map<string, 'open' | 'done'>()
    const stack: string[] = []
    const visit = (file: string): void => {
      state.set(file, 'open')
      stack.push(file)
      for (const next of graph.get(file) ?? []) {
        if (!graph.has(next)) continue
        if (state.get(next) === 'open') {
          const loop = stack.slice(stack.indexOf(next)).concat(next)
          circles.push(loop.map((f) => path.relative(root, f)).join(' → '))
        } else if (!state.has(next)) visit(next)
      }
      stack.pop()
      state.set(file, 'done')
    }
    for (const file of graph.keys()) if (!state.has(file)) visit(file)
    expect(circles).toEqual([])
  })
})

/** Every file `entry` loads, following relative imports (static, dynamic, type-only excluded). */
function closure(entry: string): Set<string> {
  const seen = new Set<string>()
  const queue = [entry]
  while (queue.length > 0) {
    const file = queue.pop() as string
    if (seen.has(file)) continue
    seen.add(file)
    for (const { spec, typeOnly } of relativeImports(file)) {
      const target = resolveSpec(file, spec.replace(/\?.*$/, ''))
      if (!typeOnly && !seen.has(target) && statSync(target, { throwIfNoEntry: false })?.isFile()) {
        queue.push(target)
      }
    }
  }
  return seen
}

describe('the image (Dockerfile) holds what it runs', () => {
  const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8')
  const stages = dockerfile.split(/^FROM /m).slice(1)
  const copied = (stage: string) =>
    new Set([...stage.matchAll(/^COPY (?!--from)(\S+) \.\//gm)].map((m) => m[1]))

  it('the runtime stage copies every folder the CLI loads', () => {
    const folders = new Set([...closure(path.join(root, 'server/cli.ts'))].map(topFolder))
    const runtime = copied(stages.at(-1) as string)
    expect([...folders].filter((folder) => !runtime.has(folder))).toEqual([])
  })

  it('the dashboard stage copies every folder the dashboard bundles', () => {
    const files = sourceFiles(path.join(root, 'dashboard/src')).flatMap((file) => [...closure(file)])
    const folders = new Set(files.map(topFolder))
    const stage = copied(stages[0] as string)
    expect([...folders].filter((folder) => !stage.has(folder))).toEqual([])
  })
})
