/**
 * Runs the slowest suites first, so the two workers finish together on a clean clone (CI has no
 * timing cache from an earlier run; jest would then start them by file size, and Terraform's ~60 s
 * suite could begin last). Every other suite keeps jest's own order (its cache when there is one).
 */
const Sequencer = require('@jest/test-sequencer').default

const SLOW_FIRST = [
  'test/e2e/terraform.test.ts',
  'test/e2e/pack-install.test.ts',
  'test/engine/ec2/aws-cli.test.ts',
  'test/console/wizard.test.ts',
  'test/e2e/tutorial.test.ts',
  'test/console/pages.test.ts',
  'test/engine/ec2/ec2-fuzz.test.ts',
  'test/engine/dataplane/tls.test.ts',
  'test/e2e/ansible.test.ts',
]

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const rank = (test) => {
      const index = SLOW_FIRST.findIndex((path) => test.path.endsWith(path))
      return index === -1 ? SLOW_FIRST.length : index
    }
    const ordered = super.sort(tests)
    return [...ordered].sort((a, b) => rank(a) - rank(b))
  }
}

module.exports = SlowFirstSequencer
