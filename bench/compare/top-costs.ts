// The largest self-time costs in a V8 CPU profile (node --cpu-prof), by function and by package or source folder.
// Usage: npx tsx bench/compare/top-costs.ts <file.cpuprofile> [--top 25]
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { projectRoot } from '../../scripts/infra/paths.ts'

interface CallFrame {
  readonly functionName: string
  readonly url: string
  readonly lineNumber: number
}

interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: CallFrame; readonly children?: readonly number[] }[]
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

export interface Cost {
  readonly name: string
  readonly where: string
  readonly selfMs: number
  /** Share of the profile's busy time (everything but "(idle)"). */
  readonly percent: number
  /** For functions: the nearest callers outside Node's own modules that account for most of this self time. */
  readonly callers: readonly { readonly name: string; readonly percent: number }[]
}

export interface ProfileCosts {
  readonly totalMs: number
  readonly idleMs: number
  readonly byFunction: readonly Cost[]
  readonly byArea: readonly Cost[]
}

const shortUrl = (url: string): string => {
  if (url === '') return ''
  const path = url.startsWith('file://') ? fileURLToPath(url) : url
  return path.startsWith(projectRoot) ? path.slice(projectRoot.length) : path
}

/** node_modules/<package>, node's own modules, or the project folder a function lives in. */
const areaOf = (frame: CallFrame): string => {
  const path = shortUrl(frame.url)
  if (path === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native / V8 builtins)'
  const modules = path.lastIndexOf('node_modules/')
  if (modules >= 0) {
    const [first, second] = path.slice(modules + 'node_modules/'.length).split('/')
    return `npm:${first!.startsWith('@') ? `${first}/${second}` : first}`
  }
  if (path.startsWith('node:')) return `node:${path.slice(5).split('/').slice(0, 2).join('/')}`
  return path.split('/').slice(0, -1).join('/') || path
}

interface Tally {
  name: string
  where: string
  us: number
  callers: Map<string, number>
}

const rank = (selfUs: Map<string, Tally>, busyUs: number, top: number): Cost[] =>
  [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map(({ name, where, us, callers }) => ({
      name,
      where,
      selfMs: Math.round(us / 100) / 10,
      percent: Math.round((us / busyUs) * 1000) / 10,
      callers: [...callers.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([caller, callerUs]) => ({ name: caller, percent: Math.round((callerUs / us) * 100) })),
    }))

const frameName = (frame: CallFrame): string => {
  const where = shortUrl(frame.url)
  return `${frame.functionName === '' ? '(anonymous)' : frame.functionName}${where === '' ? '' : ` ${where}`}`
}

/** Self time per function (aggregated by function name + script) and per area, largest first. */
export const profileCosts = (file: string, top = 25): ProfileCosts => {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]))
  const parents = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id)
  // Buffer.alloc or a stream's write says little; the first caller in a package or in our code says who paid.
  const callerOutsideNode = (nodeId: number): CallFrame | undefined => {
    let parentId = parents.get(nodeId)
    for (;;) {
      const parent = parentId === undefined ? undefined : frames.get(parentId)
      if (parent === undefined || parent.functionName === '(root)') return parent
      if (parent.url !== '' && !parent.url.startsWith('node:')) return parent
      parentId = parents.get(parentId!)
    }
  }
  const byFunction = new Map<string, Tally>()
  const byArea = new Map<string, Tally>()
  let totalUs = 0
  let idleUs = 0
  // timeDeltas[i + 1] is the time between sample i and the next one: the time sample i stands for.
  for (let i = 0; i < profile.samples.length; i++) {
    const nodeId = profile.samples[i]!
    const frame = frames.get(nodeId)
    const us = profile.timeDeltas[i + 1] ?? 0
    if (frame === undefined || us <= 0) continue
    totalUs += us
    if (frame.functionName === '(idle)') {
      idleUs += us
      continue
    }
    const name = frame.functionName === '' ? '(anonymous)' : frame.functionName
    const where = shortUrl(frame.url)
    const functionKey = `${name}\u0000${frame.url}`
    // Scripts that tsx compiled report line 0 for everything: a line is only worth showing when there is one.
    const line = frame.lineNumber > 0 ? `:${frame.lineNumber + 1}` : ''
    const entry = byFunction.get(functionKey) ?? { name, where: where === '' ? '' : `${where}${line}`, us: 0, callers: new Map<string, number>() }
    entry.us += us
    byFunction.set(functionKey, entry)
    const parent = callerOutsideNode(nodeId)
    if (parent !== undefined) entry.callers.set(frameName(parent), (entry.callers.get(frameName(parent)) ?? 0) + us)
    const area = areaOf(frame)
    const areaEntry = byArea.get(area) ?? { name: area, where: '', us: 0, callers: new Map<string, number>() }
    areaEntry.us += us
    byArea.set(area, areaEntry)
  }
  const busyUs = totalUs - idleUs
  return {
    totalMs: Math.round(totalUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    byFunction: rank(byFunction, busyUs, top),
    byArea: rank(byArea, busyUs, top),
  }
}

export const printProfileCosts = (file: string, top = 25): ProfileCosts => {
  const costs = profileCosts(file, top)
  const busyMs = costs.totalMs - costs.idleMs
  console.log(`${file}\nprofiled ${costs.totalMs} ms, busy ${busyMs} ms, idle ${costs.idleMs} ms; percentages are of busy time\n`)
  const print = (title: string, rows: readonly Cost[], withDetail: boolean): void => {
    console.log(title)
    for (const row of rows) {
      const where = withDetail && row.where !== '' ? `  ${row.where}` : ''
      console.log(`${row.percent.toFixed(1).padStart(6)}% ${row.selfMs.toFixed(1).padStart(10)} ms  ${row.name}${where}`)
      if (withDetail && row.callers.length > 0) {
        console.log(`${' '.repeat(22)}called from (nearest frame outside node:*): ${row.callers.map((caller) => `${caller.name} (${caller.percent}%)`).join('; ')}`)
      }
    }
    console.log()
  }
  print(`Top ${costs.byFunction.length} functions by self time:`, costs.byFunction, true)
  print(`Top ${costs.byArea.length} packages / folders by self time:`, costs.byArea, false)
  return costs
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2]
  if (file === undefined || file.startsWith('--')) {
    console.error('usage: npx tsx bench/compare/top-costs.ts <file.cpuprofile> [--top N]')
    process.exit(2)
  }
  const topIndex = process.argv.indexOf('--top')
  printProfileCosts(file, topIndex >= 0 ? Number(process.argv[topIndex + 1]) : 25)
}
