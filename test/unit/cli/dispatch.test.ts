import {readFileSync} from 'node:fs'
import {elide, renderCommandListing} from '../../../src/lib/cli/dispatch.js'

test('elb-cmd --help: every line of the 1.0.17.0 listing (captured from the jar) except the unshipped Route 53 commands', () => {
  const legacy = readFileSync(new URL('fixtures/elb-cmd-listing.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => !line.includes('route53'))
  const ours = renderCommandListing().split('\n')
  for (const line of legacy) expect(ours).toContain(line)
  expect(ours.slice(-3)).toEqual(['', "    For help on a specific command, type '<commandname> --help'", ''])
})

test('long descriptions keep 26 characters on each side of ...', () => {
  expect(elide('Configure the parameters for checking the health of instances registered with a LoadBalancer.')).toBe(
    'Configure the parameters f...tered with a LoadBalancer.',
  )
})
