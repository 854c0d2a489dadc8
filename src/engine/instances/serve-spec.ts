/** Parses `elb-local run-instances --serve` values: `http:8080,https:443`, or `http` with `--port`. */
import type {ServeSpec} from '../model/types.js'

export class ServeSpecError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ServeSpecError'
  }
}

export function parseServeSpecs(text: string, defaultPort?: number): ServeSpec[] {
  const specs = text.split(',').map((part) => part.trim()).filter((part) => part !== '').map((part) => {
    const match = /^(https?)(?::(\d+))?$/i.exec(part)
    if (match === null) throw new ServeSpecError(`Invalid --serve value '${part}': expected http[:PORT] or https[:PORT].`)
    const protocol = (match[1] ?? '').toLowerCase() as ServeSpec['protocol']
    const port = match[2] === undefined ? (defaultPort ?? (protocol === 'https' ? 443 : 80)) : Number(match[2])
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new ServeSpecError(`Invalid port in --serve value '${part}': use 1-65535.`)
    }
    return {protocol, port}
  })
  if (specs.length === 0) throw new ServeSpecError('--serve needs at least one of http[:PORT], https[:PORT].')
  return specs
}
