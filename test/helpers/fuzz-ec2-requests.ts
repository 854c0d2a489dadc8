import {encode, pick, randomText, seededRandom} from './fuzz-requests.js'

/**
 * Seeded hostile EC2 Query requests (2016-11-15) for the fuzz suite (issue 16): a plausible request
 * of every EC2 Action the engine answers, then mutated the ways EC2 requests go wrong — sizes (huge
 * values), counts (thousands of list items, MinCount/MaxCount out of range), wildcards (patterns
 * that make backtracking matchers explode), regions (credential scopes and zone names of other or
 * invented regions), addresses (octal, hex, short and out-of-range private IPs) and serve tags. The
 * same seed and the same engine answers give the same requests.
 */

export interface Ec2FuzzRequest {
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
  readonly description: string
}

export interface Ec2FuzzContext {
  /** Instance ids the engine knows now (so some requests name real instances). */
  instanceIds(): readonly string[]
  /** The engine's instance network, `127.0.N`. */
  readonly network: string
}

type Params = [string, string][]

const ZONES = ['us-east-1a', 'us-east-1f', 'us-east-1z', 'eu-west-1a', 'us-east-1', '', 'US-EAST-1A']
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'xx-fake-1', '', 'us-east-1\u0000', 'US-EAST-1', '../us-east-1']
const FILTER_NAMES = ['instance-type', 'instance-id', 'tag:Name', 'tag:', 'tag-key', 'tag-value', 'private-ip-address', 'instance-state-name',
  'availability-zone', 'zone-name', 'region-name', 'group-name', 'resource-id', 'key', 'image-id', 'nope', '']
const SMALL_VALUES = ['', ' ', '0', '-1', '1', '5', '50', '51', '1000', '1001', '2147483648', '99999999999', '1e3', 'NaN', 'true', 'TRUE', 'yes',
  'a\u0000b', '\u0001', '\uFFFE', 'caf\u00e9', '😀', '<x>&amp;', ']]>', 'i-00000000', 'i-0123456789abcdef0', 'ami-12345678', 'sg-00000000']

/** Patterns that take a backtracking matcher exponential time against `aaaa…`, and escapes. */
function wildcard(random: () => number): string {
  const n = 1 + Math.floor(random() * 40)
  return pick(random, [
    `${'*a'.repeat(n)}*b`, `${'?'.repeat(n)}*`, '*'.repeat(n * 100), `${'a*'.repeat(n)}\\`, '\\*\\?\\\\', `*${'\\'.repeat(n)}`,
    `${'(a+)+'.repeat(n)}$`, '.*', '[a-z]*', 'x'.repeat(n * 1000),
  ])
}

function address(random: () => number, network: string): string {
  const host = 2 + Math.floor(random() * 250)
  return pick(random, [
    `${network}.${host}`, `${network}.0${host}`, `${network}.00${host % 10}`, `${network}.${host + 256}`, network, `${network}.${host}.1`,
    '127.0.0.1', '127.1.0.5', '127.0.0.0', '127.255.255.255', '0x7f.0.0.1', '2130706433', '10.0.0.1', '::1', `${network}. ${host}`,
    `${network}.${host} `, '', 'x'.repeat(5000),
  ])
}

function servePorts(random: () => number): string {
  const n = 1 + Math.floor(random() * 30)
  return pick(random, [
    Array.from({length: n}, (_, i) => `http:${30000 + i}`).join(','), 'http:0', 'http:65536', 'https:30100,https:30100', 'ftp:21',
    'http:30200 , https:30201', ',', 'http', `http:${'9'.repeat(400)}`,
  ])
}

function list(name: string, values: readonly string[]): Params {
  return values.map((value, i): [string, string] => [`${name}.${i + 1}`, value])
}

/** A plausible request of each Action (the mutations make most of them hostile). */
function baseRequest(random: () => number, context: Ec2FuzzContext): Params {
  const known = context.instanceIds()
  const someIds = (): string[] => known.length === 0 ? ['i-00000000'] : known.filter(() => random() < 0.3).slice(0, 20)
  const filter = (): Params => [['Filter.1.Name', pick(random, FILTER_NAMES)], ['Filter.1.Value.1', random() < 0.5 ? wildcard(random) : pick(random, SMALL_VALUES)]]
  const builders: Record<string, () => Params> = {
    RunInstances: () => [['ImageId', 'ami-12345678'], ['MinCount', '1'], ['MaxCount', String(1 + Math.floor(random() * 3))], ['InstanceType', 't2.micro'],
      ['Placement.AvailabilityZone', pick(random, ZONES.slice(0, 2))], ['TagSpecification.1.ResourceType', 'instance'],
      ['TagSpecification.1.Tag.1.Key', 'Name'], ['TagSpecification.1.Tag.1.Value', 'a'.repeat(40)]],
    DescribeInstances: () => (random() < 0.5 ? filter() : list('InstanceId', someIds())),
    StartInstances: () => list('InstanceId', someIds()),
    StopInstances: () => list('InstanceId', someIds()),
    TerminateInstances: () => list('InstanceId', someIds()),
    DescribeInstanceStatus: () => [['IncludeAllInstances', 'true'], ...filter()],
    DescribeAvailabilityZones: () => list('ZoneName', [pick(random, ZONES)]),
    DescribeRegions: () => list('RegionName', [pick(random, REGIONS)]),
    DescribeAccountAttributes: () => list('AttributeName', ['max-instances']),
    DescribeSecurityGroups: () => list('GroupName', ['default']),
    DescribeNetworkInterfaces: filter,
    DescribeInstanceTypes: () => list('InstanceType', ['t2.micro']),
    DescribeImages: () => list('ImageId', ['ami-12345678']),
    DescribeInstanceAttribute: () => [['InstanceId', someIds()[0] ?? 'i-00000000'], ['Attribute', 'instanceType']],
    DescribeTags: filter,
    DescribeInstanceCreditSpecifications: () => list('InstanceId', someIds()),
    DescribeVolumes: () => [],
  }
  const action = pick(random, Object.keys(builders))
  return [['Action', action], ['Version', '2016-11-15'], ...(builders[action]?.() ?? [])]
}

/** One mutation of the kinds EC2 requests go wrong; returns what it did. */
function mutate(random: () => number, params: Params, context: Ec2FuzzContext, headers: Record<string, string>): string {
  const roll = random()
  const count = Math.floor(10 ** (1 + random() * 3.5))
  if (roll < 0.12) {
    const entry = pick(random, params)
    entry[1] = random() < 0.5 ? pick(random, SMALL_VALUES) : 'z'.repeat(Math.floor(random() * 300_000))
    return `size ${entry[0]}`
  }
  if (roll < 0.3) {
    const kind = pick(random, ['InstanceId', 'Filter', 'Tag', 'RegionName', 'ZoneName', 'FilterValues'])
    if (kind === 'Filter') for (let i = 1; i <= count; i++) params.push([`Filter.${i}.Name`, 'instance-type'], [`Filter.${i}.Value.1`, `*a*${i}`])
    else if (kind === 'FilterValues') for (let i = 1; i <= count; i++) params.push(['Filter.9.Name', 'tag:Name'], [`Filter.9.Value.${i}`, `${'*a'.repeat(i % 30)}*b`])
    else if (kind === 'Tag') {
      params.push(['TagSpecification.1.ResourceType', 'instance'])
      for (let i = 1; i <= count; i++) params.push([`TagSpecification.1.Tag.${i + 1}.Key`, `k${i}`], [`TagSpecification.1.Tag.${i + 1}.Value`, 'v'])
    } else for (let i = 1; i <= count; i++) params.push([`${kind}.${i}`, kind === 'InstanceId' ? `i-${String(i).padStart(8, '0')}` : pick(random, REGIONS)])
    return `count ${count} ${kind}`
  }
  if (roll < 0.4) {
    params.push([pick(random, ['MinCount', 'MaxCount']), pick(random, ['0', '-1', '50', '51', '2147483648', '99999999999', '1.5', ''])])
    return 'counts'
  }
  if (roll < 0.55) {
    params.push(['Filter.7.Name', pick(random, FILTER_NAMES)], ['Filter.7.Value.1', wildcard(random)])
    return 'wildcard'
  }
  if (roll < 0.65) {
    const region = pick(random, REGIONS)
    // A header cannot carry NUL (the client refuses to send it): the parameters can.
    if (random() < 0.5 && !region.includes('\u0000')) headers['Authorization'] = `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/${region}/ec2/aws4_request, SignedHeaders=host, Signature=00`
    else params.push(['Placement.AvailabilityZone', pick(random, ZONES)])
    return `region ${JSON.stringify(region)}`
  }
  if (roll < 0.75) {
    params.push(['PrivateIpAddress', address(random, context.network)])
    return 'address'
  }
  if (roll < 0.82) {
    // On a launch, so some serve tags reach the demo back ends.
    // An https back end costs an RSA key (openssl, ~0.1-0.5 s each): keep those launches to one instance.
    const serve = servePorts(random)
    params.splice(0, 1, ['Action', 'RunInstances'])
    params.push(['MinCount', '1'], ['MaxCount', serve.includes('https') ? '1' : String(1 + Math.floor(random() * 50))])
    params.push(['TagSpecification.1.ResourceType', 'instance'], ['TagSpecification.1.Tag.9.Key', 'elb-local:serve'], ['TagSpecification.1.Tag.9.Value', serve])
    return 'serve'
  }
  if (roll < 0.88) {
    params.push([pick(random, ['MaxResults', 'NextToken', 'DryRun']), pick(random, SMALL_VALUES)])
    return 'paging'
  }
  if (roll < 0.94) {
    params.push([pick(random, ['Action', 'Version']), pick(random, ['', 'RunInstances ', 'runinstances', '2016-11-15\u0000', '2012-06-01', 'Describe\u0000Instances'])])
    return 'garble Action/Version'
  }
  params.push([randomText(random, 1 + Math.floor(random() * 12)), randomText(random, Math.floor(random() * 12))])
  return 'random parameter'
}

/** Requests one at a time (the context is read as each is made). */
export function* fuzzEc2Requests(seed: number, count: number, context: Ec2FuzzContext): Generator<Ec2FuzzRequest> {
  const random = seededRandom(seed)
  for (let i = 0; i < count; i++) {
    const params = baseRequest(random, context)
    const headers: Record<string, string> = {'Content-Type': 'application/x-www-form-urlencoded'}
    const rounds = random() < 0.15 ? 0 : 1 + Math.floor(random() * 3)
    const mutations = Array.from({length: rounds}, () => mutate(random, params, context, headers))
    yield {
      body: params.map(([key, value]) => `${encode(key)}=${encode(value)}`).join('&'),
      headers,
      description: `#${i} ${params[0]?.[1] ?? ''} ${mutations.join(', ')}`,
    }
  }
}
