/**
 * The text of every `bin/<name>` shim (written by `npm run gen:bin`, checked by a test). Its first
 * line is shell: with a start-up snapshot for this package build and this `node` in the cache
 * (`$XDG_CACHE_HOME/elb-tools/`, made on this machine — see snapshot-cache.ts) it starts Node from
 * it; otherwise it runs itself as JavaScript, down the module path, which also makes the snapshot
 * for next time. To Node that first line is a string and a comment.
 */
export function shimText(name: string): string {
  return [
    '#!/bin/sh',
    '":" //; s=$0; [ ! -L "$s" ] || s=$(readlink -f "$s"); ' +
      'read -r k < "${s%/*}/../dist/lib/bundle/snapshot.key" 2>/dev/null && ' +
      'b=${XDG_CACHE_HOME:-$HOME/.cache}/elb-tools/$k-$(stat -L -c \'%s-%Y\' "$(command -v node)").blob && [ -f "$b" ] || exec node "$s" "$@"; ' +
      '[ -z "${NODE_EXTRA_CA_CERTS+set}" ] || { export ELB_TOOLS_DEFERRED_NODE_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS"; unset NODE_EXTRA_CA_CERTS; }; ' +
      'exec node --snapshot-blob "$b" "$s" "$@"',
    `// \`${name}\`: run directly, the line above starts Node from the CLI's start-up snapshot (src/lib/bundle/).`,
    `// Run as \`node bin/${name}\`, or before the snapshot exists, this entry loads the bundled modules:`,
    `import('./lib/run.js').then(({run}) => run('${name}'))`,
    '',
  ].join('\n')
}
