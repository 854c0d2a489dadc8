/** `elb-local ca [--export]`: the engine's local certificate authority, whose root clients may trust. */
import type {LocalCommand} from './command.js'
import {adminCall, runningAdminClient} from './command-support.js'

export const ca: LocalCommand = {
  name: 'ca',
  summary: "Show (or --export) the root of the engine's local CA, which signs ACM RequestCertificate's certificates.",
  description: 'The engine issues the certificates ACM RequestCertificate asks for at once, signed by its own CA ' +
    '(made once, kept in ELB_LOCAL_HOME/acm-ca/). Trust its root to verify them: `elb-local ca --export > elb-local-ca.pem`, ' +
    'then `curl --cacert elb-local-ca.pem`, `NODE_EXTRA_CA_CERTS=elb-local-ca.pem`, or the system trust store.',
  options: [{name: 'export', type: 'boolean', description: 'print the root certificate (PEM) on stdout'}],
  examples: ['elb-local ca', 'elb-local ca --export > elb-local-ca.pem'],
  async run(context) {
    const client = await runningAdminClient(context.io)
    const root = await adminCall(() => client.call('localCa', {}))
    if (context.values.get('export') === true) {
      context.io.stdout(root.certificate)
      return 0
    }
    context.io.stdout(`The local CA's root certificate: ${root.file}\n` +
      'Trust it to verify certificates from ACM RequestCertificate: elb-local ca --export > elb-local-ca.pem\n')
    return 0
  },
}
