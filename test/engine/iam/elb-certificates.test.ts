import {
  CertificateNotFoundException,
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  type ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing'
import {
  DeleteConflictException,
  DeleteServerCertificateCommand,
  GetServerCertificateCommand,
  NoSuchEntityException,
  UpdateServerCertificateCommand,
  UploadServerCertificateCommand,
} from '@aws-sdk/client-iam'
import {startApiServer, type ApiServerHandle} from '../../helpers/api-server.js'
import {makePki, type Pki} from './pki.js'

/**
 * IAM certificates as the ELB model uses them, through both SDK clients against one engine: global
 * certificates, region-scoped load balancers, delete conflicts and renames.
 */

let pki: Pki
let api: ApiServerHandle

beforeAll(() => {
  pki = makePki()
})

beforeEach(async () => {
  api = await startApiServer()
})

afterEach(async () => {
  await api.close()
})

function createHttpsLoadBalancer(client: ElasticLoadBalancingClient, name: string, zone: string, certificateArn: string) {
  return client.send(new CreateLoadBalancerCommand({
    LoadBalancerName: name,
    AvailabilityZones: [zone],
    Listeners: [{Protocol: 'HTTPS', LoadBalancerPort: 443, InstanceProtocol: 'HTTP', InstancePort: 80, SSLCertificateId: certificateArn}],
  }))
}

async function listenerCertificates(client: ElasticLoadBalancingClient): Promise<(string | undefined)[]> {
  const out = await client.send(new DescribeLoadBalancersCommand({}))
  return (out.LoadBalancerDescriptions ?? []).flatMap((lb) => (lb.ListenerDescriptions ?? []).map((description) => description.Listener?.SSLCertificateId))
}

it('serves one global certificate to listeners in two regions, refuses to delete it while used, and follows a rename', async () => {
  const uploaded = await api.iam.send(new UploadServerCertificateCommand({
    ServerCertificateName: 'www', CertificateBody: pki.leafCert, PrivateKey: pki.leafKey, CertificateChain: pki.chain,
  }))
  const arn = uploaded.ServerCertificateMetadata?.Arn ?? ''
  const west = api.elbIn('eu-west-1')
  await createHttpsLoadBalancer(api.elb, 'east-lb', 'us-east-1a', arn)
  await createHttpsLoadBalancer(west, 'west-lb', 'eu-west-1a', arn)

  // The SigV4 scope decides the region: each region sees only its own load balancer.
  const east = await api.elb.send(new DescribeLoadBalancersCommand({}))
  const inWest = await west.send(new DescribeLoadBalancersCommand({}))
  expect(east.LoadBalancerDescriptions?.map((lb) => lb.LoadBalancerName)).toEqual(['east-lb'])
  expect(inWest.LoadBalancerDescriptions?.map((lb) => lb.LoadBalancerName)).toEqual(['west-lb'])
  expect(await listenerCertificates(api.elb)).toEqual([arn])

  await expect(api.iam.send(new DeleteServerCertificateCommand({ServerCertificateName: 'www'}))).rejects.toThrow(DeleteConflictException)

  await api.iam.send(new UpdateServerCertificateCommand({ServerCertificateName: 'www', NewServerCertificateName: 'www-2026', NewPath: '/web/'}))
  const renamed = 'arn:aws:iam::123456789012:server-certificate/web/www-2026'
  expect(await listenerCertificates(api.elb)).toEqual([renamed])
  expect(await listenerCertificates(west)).toEqual([renamed])

  await api.elb.send(new DeleteLoadBalancerCommand({LoadBalancerName: 'east-lb'}))
  await expect(api.iam.send(new DeleteServerCertificateCommand({ServerCertificateName: 'www-2026'}))).rejects.toThrow(DeleteConflictException)
  await west.send(new DeleteLoadBalancerCommand({LoadBalancerName: 'west-lb'}))
  await api.iam.send(new DeleteServerCertificateCommand({ServerCertificateName: 'www-2026'}))
  await expect(api.iam.send(new GetServerCertificateCommand({ServerCertificateName: 'www-2026'}))).rejects.toThrow(NoSuchEntityException)
})

it('answers CertificateNotFound for an ARN IAM does not know', async () => {
  const missing = 'arn:aws:iam::123456789012:server-certificate/nope'
  const error = await createHttpsLoadBalancer(api.elb, 'lb', 'us-east-1a', missing).then(() => undefined, (caught: unknown) => caught)
  expect(error).toBeInstanceOf(CertificateNotFoundException)
  expect((error as CertificateNotFoundException).$metadata.httpStatusCode).toBe(400)
  expect((error as CertificateNotFoundException & {Code?: string}).Code).toBe('CertificateNotFound')
  expect((await api.elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions).toEqual([])
})
