import {request} from 'node:http'
import {startApiServer, type ApiServerHandle} from '../../helpers/api-server.js'

/**
 * Requests exactly as the legacy Java ELB CLI 1.0.17.0 sent them to this engine (captured from its
 * `elb-create-lb`, `elb-create-lb-policy`, `elb-set-lb-policies-for-backend-server`,
 * `elb-configure-healthcheck` and `elb-describe-lbs` runs): HTTP GET, everything in the query string,
 * Signature Version 2, lower-case protocol names, `PolicyNames=` for an empty list. They are replayed
 * against the real ELB model through the API edge.
 */

const SIGV2 = 'SignatureVersion=2&SignatureMethod=HmacSHA256&Timestamp=2026-11-24T01%3A25%3A56.442Z&AWSAccessKeyId=AKID&Signature=941nHDqZL3HPKxiVJv1jEoqqwekA1ylEM022qdg5bkA%3D'
const HEADERS = {'User-Agent': 'Amazon CLI/ElasticLoadBalancing 1.0.17.0 API 2012-06-01', Accept: 'text/html, image/gif, image/jpeg, */*; q=0.2'}

function get(api: ApiServerHandle, query: string): Promise<{status: number; body: string}> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.endpoint}?${query}&${SIGV2}`, {method: 'GET', headers: HEADERS}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        resolve({status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8')})
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

let api: ApiServerHandle
beforeEach(async () => {
  api = await startApiServer()
})
afterEach(async () => {
  await api.close()
})

it('serves the legacy CLI’s GET requests end to end', async () => {
  const created = await get(api, 'LoadBalancerName=web&AvailabilityZones.member.1=us-east-1a&Listeners.member.1.Protocol=http&' +
    'Listeners.member.1.LoadBalancerPort=80&Listeners.member.1.InstancePort=8080&Version=2012-06-01&Action=CreateLoadBalancer')
  expect(created.status).toBe(200)
  expect(created.body).toMatch(/<DNSName>web-\d+\.us-east-1\.elb\.amazonaws\.com<\/DNSName>/)

  const policy = await get(api, 'PolicyAttributes.member.1.AttributeName=ProxyProtocol&PolicyAttributes.member.1.AttributeValue=true&' +
    'PolicyTypeName=ProxyProtocolPolicyType&LoadBalancerName=web&PolicyName=proxy-x&Version=2012-06-01&Action=CreateLoadBalancerPolicy')
  expect(policy.body).toContain('<CreateLoadBalancerPolicyResult/>')

  await get(api, 'InstancePort=8080&PolicyNames.member.1=proxy-x&LoadBalancerName=web&Version=2012-06-01&Action=SetLoadBalancerPoliciesForBackendServer')
  expect(api.store.region('us-east-1').loadBalancers[0]?.backendServers).toEqual([{instancePort: 8080, policyNames: ['proxy-x']}])
  const cleared = await get(api, 'InstancePort=8080&PolicyNames=&LoadBalancerName=web&Version=2012-06-01&Action=SetLoadBalancerPoliciesForBackendServer')
  expect(cleared.status).toBe(200)
  expect(api.store.region('us-east-1').loadBalancers[0]?.backendServers ?? []).toEqual([])

  const badCheck = await get(api, 'HealthCheck.HealthyThreshold=2&HealthCheck.UnhealthyThreshold=2&LoadBalancerName=web&' +
    'HealthCheck.Target=HTTP%3A8080%2Fping&HealthCheck.Interval=1&HealthCheck.Timeout=5&Version=2012-06-01&Action=ConfigureHealthCheck')
  expect(badCheck.status).toBe(400)
  expect(badCheck.body).toContain("<Message>1 validation error detected: Value '1' at 'healthCheck.interval' failed to satisfy " +
    'constraint: Member must have value greater than or equal to 5</Message>')

  const described = await get(api, 'LoadBalancerNames.member.1=web&Version=2012-06-01&Action=DescribeLoadBalancers')
  expect(described.body).toContain('<LoadBalancerName>web</LoadBalancerName>')
  expect(described.body).toContain('<Protocol>HTTP</Protocol>')
  const missing = await get(api, 'LoadBalancerNames.member.1=nope&Version=2012-06-01&Action=DescribeLoadBalancers')
  expect(missing.status).toBe(400)
  expect(missing.body).toContain('<Code>LoadBalancerNotFound</Code>')
})
