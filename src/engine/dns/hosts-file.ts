/**
 * The engine's marked block in /etc/hosts: `# BEGIN elb-local (HOME)` … `# END elb-local (HOME)`,
 * one `ADDRESS DNS-NAME` line per load balancer. Each engine home owns its own block; everything
 * outside it is kept byte for byte. The file is replaced atomically (a temporary file beside it,
 * renamed over it) — except where it is a bind mount (containers), whose target cannot be renamed
 * over (EBUSY): there it is rewritten in place.
 */
import {readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'

export const DEFAULT_HOSTS_FILE = '/etc/hosts'

/** ELB_LOCAL_HOSTS_FILE (tests point it elsewhere), else /etc/hosts. */
export function hostsFilePath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const configured = env['ELB_LOCAL_HOSTS_FILE']
  return configured === undefined || configured === '' ? DEFAULT_HOSTS_FILE : configured
}

const beginMarker = (home: string): string => `# BEGIN elb-local (${oneLine(home)})`
const endMarker = (home: string): string => `# END elb-local (${oneLine(home)})`
/** A home with a newline in it must not be able to break the file's lines. */
const oneLine = (text: string): string => text.replace(/[\r\n]/g, '?')

/**
 * `text` with this home's block replaced by `lines` (appended at the end if there was none), or
 * removed when `lines` is undefined. A block that lost its end marker is cut to the end of the file.
 */
export function withHostsBlock(text: string, home: string, lines: readonly {address: string; dnsName: string}[] | undefined): string {
  const all = text.split('\n')
  const begin = all.indexOf(beginMarker(home))
  let kept = all
  let at = all.length
  if (begin >= 0) {
    const endOffset = all.slice(begin).indexOf(endMarker(home))
    // No end marker: cut to the end, keeping the file's last newline.
    const end = endOffset >= 0 ? begin + endOffset + 1 : all.at(-1) === '' ? all.length - 1 : all.length
    kept = [...all.slice(0, begin), ...all.slice(end)]
    at = begin
  }
  if (lines === undefined) return kept.join('\n')
  const block = [beginMarker(home), ...lines.map((line) => `${line.address} ${line.dnsName}`), endMarker(home)]
  if (begin < 0) {
    // Appended after the last line, which keeps its newline.
    const body = kept.at(-1) === '' ? kept.slice(0, -1) : kept
    return [...body, ...block, ''].join('\n')
  }
  return [...kept.slice(0, at), ...block, ...kept.slice(at)].join('\n')
}

export function readHostsFile(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ''
    throw error
  }
}

/** Replaces the file with `text`: rename of a temporary file, else (a bind mount) in place. */
export function writeHostsFile(path: string, text: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.elb-local.${process.pid}.tmp`)
  try {
    writeFileSync(temporary, text, {mode: 0o644})
    renameSync(temporary, path)
  } catch (error) {
    rmSync(temporary, {force: true})
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EBUSY' && code !== 'EXDEV' && code !== 'EPERM' && code !== 'EACCES') throw error
    // /etc/hosts bind-mounted into a container (or /etc not writable but the file is).
    writeFileSync(path, text)
  }
}

/** Writes the block for `home` (or removes it); true if the file changed. */
export function syncHostsFile(path: string, home: string, lines: readonly {address: string; dnsName: string}[] | undefined): boolean {
  const before = readHostsFile(path)
  const after = withHostsBlock(before, home, lines)
  if (after === before) return false
  writeHostsFile(path, after)
  return true
}
