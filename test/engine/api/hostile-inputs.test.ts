import {CreateLoadBalancerCommand, RemoveTagsCommand} from '@aws-sdk/client-elastic-load-balancing'
import {elbRejection, startApiServer, TEST_CREDENTIALS, type ApiServerHandle} from '../../helpers/api-server.js'
import {runProcess} from '../../helpers/processes.js'
import {assertWellFormedXml} from '../../helpers/xml.js'

/**
 * Issue 9's API-side defects, each with the exact command or bytes that showed it: control
 * characters stored and echoed as illegal XML (#3), path traversal through access-log settings
 * (#4), unbounded names (#8), empty member lists (#11). Each is refused with AWS's error and leaves
 * the state as it was; every answer parses as XML 1.0.
 */

let api: ApiServerHandle
beforeEach(async () => {
  api = await startApiServer()
  await api.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: 'web', Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 8080}], AvailabilityZones: ['us-east-1a'],
  }))
})
afterEach(async () => {
  await api.close()
})

/** aws-cli (botocore parses answers with expat, a strict XML 1.0 parser). */
function aws(...args: string[]) {
  return runProcess('aws', ['elb', ...args, '--endpoint-url', api.endpoint, '--region', 'us-east-1', '--output', 'json'], {
    env: {AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_MAX_ATTEMPTS: '1'},
  })
}

async function post(body: string): Promise<{status: number; body: string}> {
  const res = await fetch(api.endpoint, {method: 'POST', body, headers: {'Content-Type': 'application/x-www-form-urlencoded'}})
  const text = await res.text()
  assertWellFormedXml(text)
  return {status: res.status, body: text}
}

const codeOf = (body: string) => /<Code>([^<]*)<\/Code>/.exec(body)?.[1]
const messageOf = (body: string) => /<Message>([^<]*)<\/Message>/.exec(body)?.[1]
const stateSize = () => JSON.stringify(api.store.state).length

describe('#3 control characters', () => {
  it("aws elb create-app-cookie-stickiness-policy --cookie-name $'a\\x01b' is refused; describe-load-balancers still parses", async () => {
    const created = await aws('create-app-cookie-stickiness-policy', '--load-balancer-name', 'web', '--policy-name', 'sticky', '--cookie-name', 'a\u0001b')
    expect(created.code).not.toBe(0)
    expect(created.stderr).toContain('(ValidationError)')
    expect(created.stderr).toContain("at 'cookieName' failed to satisfy constraint: Member must satisfy regular expression pattern")
    expect(api.store.region('us-east-1').loadBalancers[0]?.policies).toEqual([])
    const described = await aws('describe-load-balancers')
    expect(described.code).toBe(0)
  })

  it('a PublicKey attribute with a control character is refused', async () => {
    const answer = await post('Action=CreateLoadBalancerPolicy&Version=2012-06-01&LoadBalancerName=web&PolicyName=key&' +
      'PolicyTypeName=PublicKeyPolicyType&PolicyAttributes.member.1.AttributeName=PublicKey&PolicyAttributes.member.1.AttributeValue=MIIB%01AQAB')
    expect([answer.status, codeOf(answer.body), messageOf(answer.body)]).toEqual([400, 'ValidationError',
      "1 validation error detected: Value 'MIIB\uFFFDAQAB' at 'policyAttributes.1.member.attributeValue' failed to satisfy constraint: Member must not contain control characters"])
    expect(api.store.region('us-east-1').loadBalancers[0]?.policies).toEqual([])
  })

  it('error answers echo %00 and friends as U+FFFD, never as &#x0;', async () => {
    const answer = await post('Action=Describe%00Load%1FBalancers&Version=2012-06-01')
    expect(answer.body).not.toMatch(/&#x(0|1F);/i)
    expect(messageOf(answer.body)).toBe('Could not find operation Describe\uFFFDLoad\uFFFDBalancers for version 2012-06-01')
  })

  it('a control character already in the state (written before these rules) does not poison DescribeLoadBalancers', async () => {
    api.store.updateRegion('us-east-1', (region) => {
      const lb = region.loadBalancers[0]
      if (lb !== undefined) lb.policies.push({name: 'old', typeName: 'AppCookieStickinessPolicyType', attributes: [{name: 'CookieName', value: 'x\u0001\u0000y'}]})
    })
    const described = await aws('describe-load-balancers')
    expect(described.code).toBe(0)
    const policies = (JSON.parse(described.stdout) as {LoadBalancerDescriptions: {Policies: {AppCookieStickinessPolicies: {CookieName: string}[]}}[]})
      .LoadBalancerDescriptions[0]?.Policies.AppCookieStickinessPolicies
    expect(policies).toEqual([{PolicyName: 'old', CookieName: 'x\uFFFD\uFFFDy'}])
  })
})

describe('#4 access-log settings cannot escape the engine home', () => {
  it('refuses S3BucketName ../../../../../escaped and a prefix with .. segments', async () => {
    const modify = (accessLog: string) => post(`Action=ModifyLoadBalancerAttributes&Version=2012-06-01&LoadBalancerName=web&${accessLog}`)
    const bucket = await modify('LoadBalancerAttributes.AccessLog.Enabled=true&LoadBalancerAttributes.AccessLog.S3BucketName=..%2F..%2F..%2F..%2F..%2Fescaped')
    expect([bucket.status, codeOf(bucket.body), messageOf(bucket.body)])
      .toEqual([409, 'InvalidConfigurationRequest', 'The specified bucket is not valid: ../../../../../escaped'])
    for (const prefix of ['..', 'a%2F..%2F..%2Fb', '%2Fabsolute', 'a%2F%2Fb', '.']) {
      const answer = await modify(`LoadBalancerAttributes.AccessLog.Enabled=true&LoadBalancerAttributes.AccessLog.S3BucketName=logs-bucket&LoadBalancerAttributes.AccessLog.S3BucketPrefix=${prefix}`)
      expect({prefix, code: codeOf(answer.body)}).toEqual({prefix, code: 'InvalidConfigurationRequest'})
    }
    for (const name of ['UPPER', 'ab', 'a'.repeat(64), '192.168.1.1', 'xn--bucket', 'bucket-', 'my..bucket', 'my_bucket']) {
      const answer = await modify(`LoadBalancerAttributes.AccessLog.Enabled=true&LoadBalancerAttributes.AccessLog.S3BucketName=${name}`)
      expect({name, status: answer.status}).toEqual({name, status: name.length > 63 ? 400 : 409})
    }
    expect(api.store.region('us-east-1').loadBalancers[0]?.attributes.accessLog).toEqual({enabled: false})
    const fine = await modify('LoadBalancerAttributes.AccessLog.Enabled=true&LoadBalancerAttributes.AccessLog.S3BucketName=my.logs-2026&LoadBalancerAttributes.AccessLog.S3BucketPrefix=prod%2Fweb%2F')
    expect(fine.status).toBe(200)
  })
})

describe('#8 length limits', () => {
  it('refuses a 5 MB policy name and a 5 MB cookie name without growing the state', async () => {
    const before = stateSize()
    const huge = 'a'.repeat(5 * 1024 * 1024)
    const policy = await post(`Action=CreateLBCookieStickinessPolicy&Version=2012-06-01&LoadBalancerName=web&PolicyName=${huge}`)
    expect([policy.status, codeOf(policy.body)]).toEqual([400, 'ValidationError'])
    expect(messageOf(policy.body)).toMatch(/at 'policyName' failed to satisfy constraint: Member must have length less than or equal to 255$/)
    const cookie = await post(`Action=CreateAppCookieStickinessPolicy&Version=2012-06-01&LoadBalancerName=web&PolicyName=p&CookieName=${huge}`)
    expect(messageOf(cookie.body)).toMatch(/at 'cookieName' failed to satisfy constraint: Member must have length less than or equal to 255$/)
    const target = await post(`Action=ConfigureHealthCheck&Version=2012-06-01&LoadBalancerName=web&HealthCheck.Target=HTTP%3A80%2F${'p'.repeat(1020)}&` +
      'HealthCheck.Interval=30&HealthCheck.Timeout=5&HealthCheck.UnhealthyThreshold=2&HealthCheck.HealthyThreshold=2')
    expect(messageOf(target.body)).toMatch(/at 'healthCheck.target' failed to satisfy constraint: Member must have length less than or equal to 1024$/)
    expect(stateSize()).toBe(before)
  })

  it('checks cookie names against RFC 6265 (a token: no separators, no spaces)', async () => {
    for (const bad of ['a;b', 'a b', 'a=b', '"quoted"', 'a,b']) {
      const answer = await post(`Action=CreateAppCookieStickinessPolicy&Version=2012-06-01&LoadBalancerName=web&PolicyName=p&CookieName=${encodeURIComponent(bad)}`)
      expect({bad, code: codeOf(answer.body)}).toEqual({bad, code: 'ValidationError'})
    }
    const fine = await post('Action=CreateAppCookieStickinessPolicy&Version=2012-06-01&LoadBalancerName=web&PolicyName=p&CookieName=JSESSIONID')
    expect(fine.status).toBe(200)
  })
})

describe('#11 empty member lists', () => {
  it('RemoveTags with no LoadBalancerNames is a ValidationError and writes no region', async () => {
    const elsewhere = api.elbIn('eu-west-2')
    const error = await elbRejection(elsewhere.send(new RemoveTagsCommand({LoadBalancerNames: [], Tags: [{Key: 'k'}]})))
    expect([error.name, error.message]).toEqual(['ValidationError',
      "1 validation error detected: Value '[]' at 'loadBalancerNames' failed to satisfy constraint: Member must have length greater than or equal to 1"])
    expect(Object.keys(api.store.state.regions)).toEqual(['us-east-1'])
  })

  it('refuses the other empty lists that only make sense with members', async () => {
    for (const body of [
      'Action=RegisterInstancesWithLoadBalancer&LoadBalancerName=web&Instances=',
      'Action=EnableAvailabilityZonesForLoadBalancer&LoadBalancerName=web&AvailabilityZones=',
      'Action=AddTags&LoadBalancerNames=&Tags.member.1.Key=k',
      'Action=DeleteLoadBalancerListeners&LoadBalancerName=web&LoadBalancerPorts=',
    ]) {
      const answer = await post(`${body}&Version=2012-06-01`)
      expect({body, code: codeOf(answer.body)}).toEqual({body, code: 'ValidationError'})
      expect(messageOf(answer.body)).toMatch(/Member must have length greater than or equal to 1$/)
    }
    // An empty PolicyNames still clears a listener's policies (AWS's documented use).
    const cleared = await post('Action=SetLoadBalancerPoliciesOfListener&Version=2012-06-01&LoadBalancerName=web&LoadBalancerPort=80&PolicyNames=')
    expect(cleared.status).toBe(200)
  })
})

