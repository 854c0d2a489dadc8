/** `elb-local reset [--force]`: an empty engine, after the legacy-style `[Ny]` prompt. */
import {LocalCommandError, type LocalCommand} from './command.js'
import {adminCall, runningAdminClient} from './command-support.js'

/** Declining the prompt: the legacy tools' exit code for "User stopped the execution". */
const EXIT_DECLINED = 2

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`

export const reset: LocalCommand = {
  name: 'reset',
  summary: 'Remove every load balancer, server certificate and instance (asks first unless --force).',
  options: [{name: 'force', type: 'boolean', description: 'do not ask'}],
  async run(context) {
    const client = await runningAdminClient(context.io)
    if (context.values.get('force') !== true) {
      // The same shape as the legacy delete prompt (elb-delete-lb): answer y to go on.
      context.io.stdout('    \n    Warning: Resetting removes every load balancer, server certificate and\n' +
        `    instance of the local engine at ${client.endpoint}. Are you sure? [Ny]`)
      const answer = await context.io.readLine()
      if (answer !== 'y' && answer !== 'Y' && answer !== 'yes') {
        throw new LocalCommandError('User stopped the execution of elb-local reset.', EXIT_DECLINED)
      }
    }
    const removed = await adminCall(() => client.reset())
    context.io.stdout(`Removed ${plural(removed.loadBalancers, 'load balancer')}, ${plural(removed.serverCertificates, 'server certificate')} ` +
      `and ${plural(removed.instances, 'instance')}.\n`)
    return 0
  },
}
