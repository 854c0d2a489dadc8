import {AwsQueryProtocol} from '@aws-sdk/core/protocols'
import {SmithyRpcV2CborProtocol} from '@smithy/core/cbor'

/**
 * SDK v3's CloudWatch client settings for each wire protocol the engine answers: AWS JSON 1.0 is
 * its default; RPC v2 CBOR and Query by its `protocol` setting.
 */
export const CLOUDWATCH_PROTOCOLS = [
  {protocol: 'awsJson1_0', setting: {}},
  {protocol: 'rpcv2Cbor', setting: {protocol: SmithyRpcV2CborProtocol}},
  {protocol: 'awsQuery', setting: {protocol: AwsQueryProtocol}},
] as const
