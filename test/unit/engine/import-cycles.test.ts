import {readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'

/**
 * No import cycles in the engine (type-only imports count too, as they do for madge): a cycle
 * means two modules own each other's concerns. Reads the sources; no build needed.
 */

const ROOT = resolve('src/engine')

function sources(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...sources(path))
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path)
  }
  return out
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g

function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    const targets: string[] = []
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? ''
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'))
      if (target.startsWith(ROOT)) targets.push(target)
    }
    graph.set(file, targets)
  }
  return graph
}

/** Every cycle found by depth-first search, each as a list of paths relative to src/engine. */
function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = []
  const state = new Map<string, 'active' | 'done'>()
  const stack: string[] = []
  const visit = (node: string): void => {
    state.set(node, 'active')
    stack.push(node)
    for (const next of graph.get(node) ?? []) {
      const seen = state.get(next)
      if (seen === 'active') cycles.push(stack.slice(stack.indexOf(next)).map(f => relative(ROOT, f)))
      else if (seen === undefined && graph.has(next)) visit(next)
    }
    stack.pop()
    state.set(node, 'done')
  }
  for (const node of graph.keys()) if (!state.has(node)) visit(node)
  return cycles
}

describe('engine module graph', () => {
  test('the cycle finder sees a cycle when there is one', () => {
    const a = join(ROOT, 'a.ts')
    const b = join(ROOT, 'b.ts')
    expect(findCycles(new Map([[a, [b]], [b, [a]]]))).toEqual([['a.ts', 'b.ts']])
    expect(findCycles(new Map([[a, [b]], [b, []]]))).toEqual([])
  })

  test('src/engine has no import cycles', () => {
    const graph = importGraph(sources(ROOT))
    expect(graph.size).toBeGreaterThan(50)
    // Every relative import resolves to a file that exists (otherwise the graph misses edges).
    for (const targets of graph.values()) for (const target of targets) expect(graph.has(target) ? target : `missing: ${target}`).toBe(target)
    expect(findCycles(graph)).toEqual([])
  })
})
