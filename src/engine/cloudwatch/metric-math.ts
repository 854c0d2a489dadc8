/**
 * CloudWatch metric math, the part dashboards and Grafana use: numbers, query Ids, + - * / ^,
 * unary minus, parentheses, and the functions SUM, AVG, MIN, MAX, METRICS, FILL, RATE, DIFF,
 * ABS and PERIOD. A small recursive-descent parser (no eval): linear in the expression's length,
 * which is bounded (2,048 characters, AWS's limit) as is its nesting (MAX_DEPTH). Anything else
 * (SEARCH, IF, ANOMALY_DETECTION_BAND, Metrics Insights' SELECT…) is refused by name.
 */

export const MAX_EXPRESSION_LENGTH = 2048
export const MAX_DEPTH = 32

export type MathNode =
  | {readonly kind: 'number'; readonly value: number}
  | {readonly kind: 'string'; readonly value: string}
  | {readonly kind: 'ref'; readonly id: string}
  | {readonly kind: 'call'; readonly name: string; readonly args: readonly MathNode[]}
  | {readonly kind: 'negate'; readonly arg: MathNode}
  | {readonly kind: 'binary'; readonly op: '+' | '-' | '*' | '/' | '^'; readonly left: MathNode; readonly right: MathNode}

export const SUPPORTED_FUNCTIONS = ['SUM', 'AVG', 'MIN', 'MAX', 'METRICS', 'FILL', 'RATE', 'DIFF', 'ABS', 'PERIOD'] as const

/** An expression that cannot be parsed or uses what this engine does not evaluate; `message` says which. */
export class MathError extends Error {}

type Token = {kind: 'number'; value: number; at: number} | {kind: 'string' | 'ident'; value: string; at: number} | {kind: 'op'; value: string; at: number}

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i] ?? ''
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++
    } else if (/[0-9.]/.test(c)) {
      const match = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i, i + 64))
      if (match === null) throw new MathError(`Unexpected character '${c}' at position ${i + 1}.`)
      tokens.push({kind: 'number', value: Number(match[0]), at: i})
      i += match[0].length
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j] ?? '')) j++
      tokens.push({kind: 'ident', value: text.slice(i, j), at: i})
      i = j
    } else if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1)
      if (close < 0) throw new MathError(`Unterminated string at position ${i + 1}.`)
      tokens.push({kind: 'string', value: text.slice(i + 1, close), at: i})
      i = close + 1
    } else if ('+-*/^(),'.includes(c)) {
      tokens.push({kind: 'op', value: c, at: i})
      i++
    } else {
      throw new MathError(`Unexpected character '${c}' at position ${i + 1}.`)
    }
  }
  return tokens
}

/** Parses an expression into its tree, or throws a MathError saying where it fails. */
export function parseExpression(text: string): MathNode {
  if (text.length > MAX_EXPRESSION_LENGTH) throw new MathError(`The expression is longer than ${MAX_EXPRESSION_LENGTH} characters.`)
  const tokens = tokenize(text)
  let position = 0
  let depth = 0
  const peek = () => tokens[position]
  const isOp = (value: string) => { const token = peek(); return token?.kind === 'op' && token.value === value }
  const expect = (value: string) => {
    if (!isOp(value)) throw new MathError(`Expected '${value}' ${where()}.`)
    position++
  }
  const where = () => { const token = peek(); return token === undefined ? 'at the end of the expression' : `at position ${token.at + 1}` }
  const nested = <T>(parse: () => T): T => {
    if (++depth > MAX_DEPTH) throw new MathError(`The expression is nested deeper than ${MAX_DEPTH} levels.`)
    try {
      return parse()
    } finally {
      depth--
    }
  }

  const sum = (): MathNode => nested(() => {
    let left = product()
    while (isOp('+') || isOp('-')) {
      const op = (tokens[position++] as {value: '+' | '-'}).value
      left = {kind: 'binary', op, left, right: product()}
    }
    return left
  })
  const product = (): MathNode => {
    let left = unary()
    while (isOp('*') || isOp('/')) {
      const op = (tokens[position++] as {value: '*' | '/'}).value
      left = {kind: 'binary', op, left, right: unary()}
    }
    return left
  }
  const unary = (): MathNode => nested(() => {
    if (isOp('-')) {
      position++
      return {kind: 'negate', arg: unary()}
    }
    if (isOp('+')) {
      position++
      return unary()
    }
    const base = primary()
    if (!isOp('^')) return base
    position++
    return {kind: 'binary', op: '^', left: base, right: unary()}
  })
  const primary = (): MathNode => {
    const token = peek()
    if (token === undefined) throw new MathError('The expression ends where a value was expected.')
    position++
    if (token.kind === 'number') return {kind: 'number', value: token.value}
    if (token.kind === 'string') return {kind: 'string', value: token.value}
    if (token.kind === 'op' && token.value === '(') {
      const inner = sum()
      expect(')')
      return inner
    }
    if (token.kind === 'ident') {
      if (!isOp('(')) return {kind: 'ref', id: token.value}
      const name = token.value.toUpperCase()
      if (!(SUPPORTED_FUNCTIONS as readonly string[]).includes(name)) {
        throw new MathError(`The function ${token.value} is not supported by this engine (it evaluates ${SUPPORTED_FUNCTIONS.join(', ')}).`)
      }
      position++
      const args: MathNode[] = []
      if (!isOp(')')) {
        args.push(sum())
        while (isOp(',')) {
          position++
          args.push(sum())
        }
      }
      expect(')')
      return {kind: 'call', name, args}
    }
    throw new MathError(`Unexpected '${token.value}' at position ${token.at + 1}.`)
  }

  const tree = sum()
  if (position < tokens.length) throw new MathError(`Unexpected '${String(peek()?.value)}' ${where()}.`)
  return tree
}

/** The query Ids an expression names (its dependencies). */
export function referencesOf(node: MathNode, into: Set<string> = new Set()): Set<string> {
  switch (node.kind) {
    case 'ref': into.add(node.id); break
    case 'call':
      node.args.forEach((arg, index) => {
        // FILL(m, REPEAT) and FILL(m, LINEAR) name a mode, not a query.
        const mode = node.name === 'FILL' && index === 1 && arg.kind === 'ref' && ['REPEAT', 'LINEAR'].includes(arg.id.toUpperCase())
        if (!mode) referencesOf(arg, into)
      })
      break
    case 'negate': referencesOf(node.arg, into); break
    case 'binary': referencesOf(node.left, into); referencesOf(node.right, into); break
    case 'number': case 'string': break
  }
  return into
}

/** A time series on the query's grid: epoch seconds ascending, one value each. */
export interface Series {
  readonly label: string
  readonly timestamps: readonly number[]
  readonly values: readonly number[]
}

export type MathValue = number | Series | readonly Series[]
