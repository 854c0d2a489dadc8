import {CloudWatchClient} from '@aws-sdk/client-cloudwatch'
import {AwsQueryProtocol} from '@aws-sdk/core/protocols'
import {SmithyRpcV2CborProtocol} from '@smithy/core/cbor'
import {TEST_CREDENTIALS} from './engine.js'

/** SDK v3's CloudWatch client in each protocol it speaks: AWS JSON 1.0 by default, the others by its `protocol` setting. */
export const CLOUDWATCH_PROTOCOLS = [
  {protocol: 'awsJson1_0', setting: {}},
  {protocol: 'rpcv2Cbor', setting: {protocol: SmithyRpcV2CborProtocol}},
  {protocol: 'awsQuery', setting: {protocol: AwsQueryProtocol}},
] as const

/** One client per protocol against `endpoint()`, made on first use; `destroy()` closes them all. */
export function cloudWatchClients(endpoint: () => string): {client(protocol: string): CloudWatchClient; destroy(): void} {
  const clients = new Map<string, CloudWatchClient>()
  return {
    client(protocol) {
      let made = clients.get(protocol)
      if (made === undefined) {
        const setting = CLOUDWATCH_PROTOCOLS.find((candidate) => candidate.protocol === protocol)?.setting ?? {}
        made = new CloudWatchClient({endpoint: endpoint(), region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1, ...setting})
        clients.set(protocol, made)
      }
      return made
    },
    destroy() {
      for (const each of clients.values()) each.destroy()
      clients.clear()
    },
  }
}
