import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'

/**
 * The module graph of src/ (the engine, the CLI, the console; type-only imports count too, as they
 * do for madge): no import cycles — a cycle means two modules own each other's concerns — and the
 * layers hold: the engine imports nothing from src/lib (the CLI and its client) and no terminal
 * library, the console nothing from src/lib; in the engine, the API edge (src/engine/api) sits on
 * top: the model, EC2, the data plane, health checks and the wire helpers never import it.
 * Reads the sources; no build needed.
 */

const SRC = resolve('src')
const ENGINE = join(SRC, 'engine')
const LIB = join(SRC, 'lib')
const CONSOLE = join(SRC, 'console')

function sources(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...sources(path))
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path)
  }
  return out
}

/**
 * `import … from 'x'`, `export … from 'x'`, `import 'x'`, and `import('x')` (a lazy load is still
 * a dependency: two modules that load each other lazily still own each other's concerns).
 */
const IMPORT = /(?:(?:^|\n)\s*(?:import|export)\b(?:[^'"]*?from)?\s*|\bimport\(\s*)['"]([^'"]+)['"]/g

/** A relative specifier as the file it names (`./a.js` is a.ts or a.tsx), or undefined for a package. */
function resolveImport(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined
  if (/\.(css|json|html)$/.test(spec)) return resolve(dirname(file), spec)
  const base = resolve(dirname(file), spec.replace(/\.js$/, ''))
  return [`${base}.ts`, `${base}.tsx`].find((candidate) => existsSync(candidate)) ?? `${base}.ts`
}

interface Module {
  readonly files: string[]
  readonly packages: string[]
}

function importGraph(files: readonly string[]): Map<string, Module> {
  const graph = new Map<string, Module>()
  for (const file of files) {
    const module: Module = {files: [], packages: []}
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = match[1] ?? ''
      const target = resolveImport(file, spec)
      // A lazy `import('./x.js')` that names no file is text (a generated shim's), not a dependency.
      const lazy = match[0].includes('import(')
      if (target === undefined) module.packages.push(spec)
      else if (!lazy || existsSync(target)) module.files.push(target)
    }
    graph.set(file, module)
  }
  return graph
}

/** Every cycle found by depth-first search, each as a list of paths relative to src/. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = []
  const state = new Map<string, 'active' | 'done'>()
  const stack: string[] = []
  const visit = (node: string): void => {
    state.set(node, 'active')
    stack.push(node)
    for (const next of graph.get(node) ?? []) {
      const seen = state.get(next)
      if (seen === 'active') cycles.push(stack.slice(stack.indexOf(next)).map(f => relative(SRC, f)))
      else if (seen === undefined && graph.has(next)) visit(next)
    }
    stack.pop()
    state.set(node, 'done')
  }
  for (const node of graph.keys()) if (!state.has(node)) visit(node)
  return cycles
}

/** `from` files that import a file under `to` or a package matching `packages`, as `from → import`. */
function crossings(graph: ReadonlyMap<string, Module>, from: string, to: string | undefined, packages?: RegExp): string[] {
  const found: string[] = []
  for (const [file, module] of graph) {
    if (!file.startsWith(`${from}/`)) continue
    for (const target of module.files) if (to !== undefined && target.startsWith(`${to}/`)) found.push(`${relative(SRC, file)} → ${relative(SRC, target)}`)
    for (const spec of module.packages) if (packages?.test(spec) === true) found.push(`${relative(SRC, file)} → ${spec}`)
  }
  return found
}

const graph = importGraph(sources(SRC))
const edges = new Map([...graph].map(([file, module]) => [file, module.files]))

describe('the module graph of src/', () => {
  test('the cycle finder sees a cycle when there is one', () => {
    const a = join(SRC, 'a.ts')
    const b = join(SRC, 'b.ts')
    expect(findCycles(new Map([[a, [b]], [b, [a]]]))).toEqual([['a.ts', 'b.ts']])
    expect(findCycles(new Map([[a, [b]], [b, []]]))).toEqual([])
  })

  test('the graph covers the engine, the CLI and the console, and every relative import resolves', () => {
    for (const dir of [ENGINE, LIB, CONSOLE]) expect([...graph.keys()].filter((file) => file.startsWith(`${dir}/`)).length).toBeGreaterThan(20)
    for (const targets of edges.values()) {
      for (const target of targets) if (/\.tsx?$/.test(target)) expect(graph.has(target) ? target : `missing: ${target}`).toBe(target)
    }
  })

  test('src/ has no import cycles', () => {
    expect(findCycles(edges)).toEqual([])
  })

  test('the layer check sees a crossing when there is one', () => {
    const file = join(ENGINE, 'x.ts')
    const fake = new Map([[file, {files: [join(LIB, 'cli', 'y.ts')], packages: ['cli-table3']}]])
    expect(crossings(fake, ENGINE, LIB, /^cli-table3$/)).toEqual(['engine/x.ts → lib/cli/y.ts', 'engine/x.ts → cli-table3'])
  })

  test('the engine imports nothing from src/lib (the CLI, its client) and no terminal-table library', () => {
    expect(crossings(graph, ENGINE, LIB, /^(cli-table3|cli-table|table|tty-table|text-table|columnify|easy-table)$/)).toEqual([])
  })

  test('the console imports nothing from src/lib', () => {
    expect(crossings(graph, CONSOLE, LIB)).toEqual([])
  })

  test('no file in src/ is over 450 lines (the style guide\'s bound; .tsx included)', () => {
    const long = [...graph.keys()].map((file) => [relative(SRC, file), readFileSync(file, 'utf8').split('\n').length - 1] as const)
      .filter(([, lines]) => lines > 450)
    expect(long).toEqual([])
  })

  test('the console\'s logic (.ts) imports no UI component (.tsx)', () => {
    const found = [...graph].filter(([file]) => file.startsWith(`${CONSOLE}/`) && file.endsWith('.ts'))
      .flatMap(([file, module]) => module.files.filter((target) => target.endsWith('.tsx')).map((target) => `${relative(SRC, file)} → ${relative(SRC, target)}`))
    expect(found).toEqual([])
  })
})

describe('engine layers', () => {
  const LOWER = ['ec2', 'model', 'dataplane', 'health', 'wire'].map((layer) => join(ENGINE, layer))
  const API = join(ENGINE, 'api')

  test('the layer check sees an upward import when there is one', () => {
    const ec2 = join(ENGINE, 'ec2', 'x.ts')
    const fake = new Map([[ec2, {files: [join(API, 'xml.ts')], packages: []}]])
    expect(crossings(fake, join(ENGINE, 'ec2'), API)).toEqual(['engine/ec2/x.ts → engine/api/xml.ts'])
  })

  test('nothing in src/engine/{ec2,model,dataplane,health,wire} imports src/engine/api', () => {
    expect([...graph.keys()].filter((file) => file.startsWith(join(ENGINE, 'ec2') + '/')).length).toBeGreaterThan(5)
    expect(LOWER.flatMap((layer) => crossings(graph, layer, API))).toEqual([])
  })

  test('the model imports none of the runtime that reads it (data plane, health checks, instances, admin)', () => {
    const model = join(ENGINE, 'model')
    expect(['dataplane', 'health', 'instances', 'admin'].flatMap((layer) => crossings(graph, model, join(ENGINE, layer)))).toEqual([])
  })

  test('the wire helpers import nothing of the engine (they sit below the services)', () => {
    const wire = [...graph].filter(([file]) => file.startsWith(join(ENGINE, 'wire') + '/'))
    expect(wire.length).toBeGreaterThan(0)
    expect(wire.flatMap(([, module]) => module.files)).toEqual([])
  })
})
