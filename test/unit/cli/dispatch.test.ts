import {readFileSync} from 'node:fs'
import {elide, renderCommandListing} from '../../../src/lib/cli/dispatch.js'
import {loadElbCommands} from '../../../src/lib/cli/main.js'

test('elb-cmd --help: every line of the 1.0.17.0 listing (captured from the jar) except the unshipped Route 53 commands', async () => {
  const legacy = readFileSync(new URL('fixtures/elb-cmd-listing.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => !line.includes('route53'))
  const ours = renderCommandListing(await loadElbCommands()).split('\n')
  for (const line of legacy) expect(ours).toContain(line)
  expect(ours.slice(-3)).toEqual(['', "    For help on a specific command, type '<commandname> --help'", ''])
})

test('long descriptions keep 26 characters on each side of ...', () => {
  expect(elide('Configure the parameters for checking the health of instances registered with a LoadBalancer.')).toBe(
    'Configure the parameters f...tered with a LoadBalancer.',
  )
})

test('elb-cmd --help is derived from the specs: the legacy lines in order, the later-API commands among them by name', async () => {
  const legacy = readFileSync(new URL('fixtures/elb-cmd-listing.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => !line.includes('route53'))
  const later = new Set(['elb-add-tags', 'elb-describe-lb-attributes', 'elb-describe-tags', 'elb-modify-lb-attributes', 'elb-remove-tags'])
  const ours = renderCommandListing(await loadElbCommands()).split('\n')
  expect(ours.filter((line) => !later.has(line.split(' ')[0] ?? ''))).toEqual(legacy.slice(0, -1))
})
