/**
 * What the `mon-*` commands' client needs from the AWS SDK, in one module: the CloudWatch client
 * and the Query protocol it is switched to. The start-up snapshot leaves both out (build.ts,
 * `runTimePackagePlugin`, loads them from node_modules when a mon-* command runs), so they must
 * come from one copy of @aws-sdk/core: import them here and nowhere else.
 */
export {CloudWatch} from '@aws-sdk/client-cloudwatch'
export {AwsQueryProtocol} from '@aws-sdk/core/protocols'
