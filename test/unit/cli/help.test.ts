import {loadHelp, renderHelp, renderUsage} from '../../../src/lib/cli/help/index.js'
import {loadElbCommand} from '../../../src/lib/cli/main.js'
import {ELB_COMMAND_NAMES} from '../../../src/lib/cli/registry.js'

test('every elb-* command has a help text whose SYNOPSIS names it (aliases use their target\'s)', async () => {
  for (const name of ELB_COMMAND_NAMES) {
    const spec = await loadElbCommand(name)
    const helpName = spec?.helpOf ?? name
    const text = renderHelp(await loadHelp(helpName))
    expect(text.startsWith(`\nSYNOPSIS\n   ${helpName}\n`)).toBe(true)
    expect(text).toContain("\nGENERAL OPTIONS\n   --aws-credential-file VALUE\n")
  }
})

test('the usage block of an error is the help synopsis (multi-line, trailing blanks kept)', async () => {
  expect(renderUsage('elb-create-lb', await loadHelp('elb-create-lb'))).toBe(
    'Usage:\nelb-create-lb\n' +
      '        LoadBalancerName  --listener  "protocol=value, lb-port=value,\n' +
      '       instance-port=value, [instance-protocol=value], [cert-id=value]"\n' +
      '       [ --listener "protocol=value, lb-port=value, instance-port=value,\n' +
      '       [instance-protocol=value], [cert-id=value]" ...] [--availability-zones \n' +
      '       value[,value...] ] [--scheme  value ] [--security-groups \n' +
      '       value[,value...] ] [--subnets  value[,value...] ]  [General Options]\n' +
      'For more information and a full list of options, run "elb-create-lb --help"\n',
  )
})
