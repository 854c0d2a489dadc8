import {readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'

/**
 * No import cycles in the engine (type-only imports count too, as they do for madge): a cycle
 * means two modules own each other's concerns. And the layers: the API edge (src/engine/api) sits
 * on top; the model, EC2, the data plane, health checks and the wire helpers never import it.
 * Reads the sources; no build needed.
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

/** Imports from a file under one of `layers` into `forbidden`, as `file → target` (relative to src/engine). */
function upwardImports(graph: Map<string, string[]>, layers: readonly string[], forbidden: string): string[] {
  const inLayer = (file: string) => layers.some((layer) => file.startsWith(join(ROOT, layer) + '/'))
  const found: string[] = []
  for (const [file, targets] of graph) {
    if (!inLayer(file)) continue
    for (const target of targets) if (target.startsWith(join(ROOT, forbidden) + '/')) found.push(`${relative(ROOT, file)} → ${relative(ROOT, target)}`)
  }
  return found
}

describe('engine layers', () => {
  const LOWER = ['ec2', 'model', 'dataplane', 'health', 'wire']

  test('the layer check sees an upward import when there is one', () => {
    const ec2 = join(ROOT, 'ec2', 'x.ts')
    const api = join(ROOT, 'api', 'xml.ts')
    expect(upwardImports(new Map([[ec2, [api]], [api, []]]), LOWER, 'api')).toEqual(['ec2/x.ts → api/xml.ts'])
  })

  test('nothing in src/engine/{ec2,model,dataplane,health,wire} imports src/engine/api', () => {
    const graph = importGraph(sources(ROOT))
    expect([...graph.keys()].filter((file) => file.startsWith(join(ROOT, 'ec2') + '/')).length).toBeGreaterThan(5)
    expect(upwardImports(graph, LOWER, 'api')).toEqual([])
  })

  test('the wire helpers import nothing of the engine (they sit below the services)', () => {
    const graph = importGraph(sources(ROOT))
    const wire = [...graph].filter(([file]) => file.startsWith(join(ROOT, 'wire') + '/'))
    expect(wire.length).toBeGreaterThan(0)
    expect(wire.flatMap(([, targets]) => targets)).toEqual([])
  })
})
