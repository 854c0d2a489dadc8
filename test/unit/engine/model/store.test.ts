import {appendFileSync, closeSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from '@jest/globals'
import {ServiceError} from '../../../../src/engine/model/errors.js'
import {listSegments} from '../../../../src/engine/model/persistence/journal.js'
import {type ChangeSet, type Draft, STATE_FILE, StateFileError, Store} from '../../../../src/engine/model/store.js'
import type {LoadBalancerRecord} from '../../../../src/engine/model/types.js'
import {testLoadBalancer as lb} from '../../../helpers/records.js'

const names = (store: Store, region = 'us-east-1') => store.region(region).loadBalancers.map((record) => record.name)

describe('Store', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'elb-store-'))
  })
  afterEach(() => {
    rmSync(dir, {recursive: true, force: true})
  })

  it('persists an acknowledged write and reads it back on reopen', () => {
    const store = Store.open(dir)
    store.update((state) => {
      state.accountId = '555555555555'
    })
    expect(Store.open(dir).state.accountId).toBe('555555555555')
    for (const segment of listSegments(dir)) expect(statSync(segment.file).mode & 0o777).toBe(0o600)
  })

  it('changes nothing when a mutation throws', () => {
    const store = Store.open(dir)
    store.update((state) => {
      state.accountId = '111111111111'
    })
    expect(() =>
      store.update((state) => {
        state.accountId = '222222222222'
        throw new Error('rejected')
      }),
    ).toThrow('rejected')
    expect(store.state.accountId).toBe('111111111111')
    expect(Store.open(dir).state.accountId).toBe('111111111111')
  })

  it('refuses an unreadable state file and leaves it untouched', () => {
    writeFileSync(join(dir, STATE_FILE), '{"formatVersion": 1, "regi')
    expect(() => Store.open(dir)).toThrow(StateFileError)
    expect(readFileSync(join(dir, STATE_FILE), 'utf8')).toBe('{"formatVersion": 1, "regi')
  })

  it('publishes frozen snapshots that share what a write did not touch', () => {
    const store = Store.inMemory()
    const seen: string[] = []
    store.onChange((state) => seen.push(Object.keys(state.regions).join(',')))
    store.updateRegion('eu-west-1', (region) => {
      region.loadBalancers.push(lb('a'), lb('b'))
    })
    expect(seen).toEqual(['eu-west-1'])
    const before = store.region('eu-west-1')
    store.updateRegion('eu-west-1', (region) => {
      const b = region.loadBalancers[1]
      if (b !== undefined) b.tags.push({key: 'k', value: 'v'})
    })
    const after = store.region('eu-west-1')
    expect(after.loadBalancers[0]).toBe(before.loadBalancers[0])
    expect(after.loadBalancers[1]).not.toBe(before.loadBalancers[1])
    expect(Object.isFrozen(store.state.regions)).toBe(true)
    expect(Object.isFrozen(after.loadBalancers[1]?.tags[0])).toBe(true)
    expect(() => { (after.loadBalancers as Draft<LoadBalancerRecord>[]).push(lb('c')) }).toThrow(TypeError)
  })

  it('replays every kind of change after a reopen, in order', () => {
    const store = Store.open(dir)
    store.updateRegion('us-east-1', (region) => { region.loadBalancers.push(lb('a'), lb('b'), lb('c')) })
    store.updateRegion('us-east-1', (region) => { region.loadBalancers = region.loadBalancers.filter((record) => record.name !== 'a') })
    store.updateRegion('us-east-1', (region) => {
      region.instances.push({instanceId: 'i-1', privateIp: '127.0.0.2', availabilityZone: 'us-east-1a', state: 'running', launchTime: 'now', serve: []})
      const c = region.loadBalancers[1]
      if (c !== undefined) c.instances.push({instanceId: 'i-1', privateIp: '127.0.0.2', availabilityZone: 'us-east-1a', registeredAt: 'now'})
    })
    // A reordering is not something the services do, but the journal must still replay it exactly.
    store.updateRegion('us-east-1', (region) => { region.loadBalancers.reverse() })
    store.updateRegion('eu-west-1', () => undefined)
    store.update((state) => {
      state.iam.serverCertificates.push({
        name: 'cert', id: 'ASCAEXAMPLE', path: '/', arn: 'arn:aws:iam::123456789012:server-certificate/cert',
        certificateBody: 'body', privateKey: 'key', uploadDate: 'now', expiration: 'later', tags: [],
      })
    })
    const reopened = Store.open(dir)
    expect(reopened.state).toEqual(store.state)
    expect(names(reopened)).toEqual(['c', 'b'])
    expect(Object.keys(reopened.state.regions)).toEqual(['us-east-1', 'eu-west-1'])
  })

  it('journals and snapshots networking records, ACM certificates and the platform, record by record', async () => {
    const store = Store.open(dir)
    const changes: ChangeSet[] = []
    store.onChange((_state, change) => changes.push(change))
    store.update((state) => { state.platform = 'vpc' })
    store.updateRegion('us-east-1', (region) => {
      region.network = {vpcs: [], subnets: [], securityGroups: [], internetGateways: [], routeTables: [], networkAcls: []}
      region.network.vpcs.push({
        vpcId: 'vpc-1', cidrBlock: '172.31.0.0/16', cidrBlockAssociationId: 'vpc-cidr-assoc-1', isDefault: true,
        instanceTenancy: 'default', dhcpOptionsId: 'dopt-1', enableDnsSupport: true, enableDnsHostnames: true, tags: [],
      })
      region.network.securityGroups.push({groupId: 'sg-1', groupName: 'default', description: 'd', vpcId: 'vpc-1', ingress: [], egress: [], tags: []})
    })
    store.updateRegion('us-east-1', (region) => {
      const group = region.network?.securityGroups[0]
      group?.ingress.push({ruleId: 'sgr-1', ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIpv4: '0.0.0.0/0'})
      region.acmCertificates = [{
        arn: 'arn:aws:acm:us-east-1:123456789012:certificate/1', domainName: 'example.com', subjectAlternativeNames: ['example.com'],
        type: 'IMPORTED', status: 'ISSUED', certificateBody: 'body', privateKey: 'key', serial: '01', subject: 'CN=example.com',
        issuer: 'CN=example.com', keyAlgorithm: 'RSA-2048', signatureAlgorithm: 'SHA256WITHRSA', notBefore: 'then',
        notAfter: 'later', createdAt: 'now', importedAt: 'now', tags: [],
      }]
    })
    store.updateRegion('us-east-1', (region) => { if (region.network !== undefined) region.network.vpcs = [] })
    expect(changes.map((change) => [change.all, change.networkRegions, change.certificateArns])).toEqual([
      [false, [], []],
      [false, ['us-east-1'], []],
      [false, ['us-east-1'], ['arn:aws:acm:us-east-1:123456789012:certificate/1']],
      [false, ['us-east-1'], []],
    ])
    const segment = readFileSync(listSegments(dir)[0]?.file ?? '', 'utf8')
    // Record by record: the last write journals the one VPC it deleted, not the region.
    expect(segment.trim().split('\n').at(-1)).toMatch(/"kind":"network","region":"us-east-1","collection":"vpcs","id":"vpc-1"}/)
    const reopened = Store.open(dir)
    expect(reopened.state).toEqual(store.state)
    expect(reopened.state.platform).toBe('vpc')
    await store.compact()
    expect(Store.open(dir).state).toEqual(store.state)
  })

  it('tells change listeners which records changed', () => {
    const store = Store.inMemory()
    const changes: ChangeSet[] = []
    store.onChange((_state, change) => changes.push(change))
    store.updateRegion('us-east-1', (region) => { region.loadBalancers.push(lb('a'), lb('b')) })
    store.updateRegion('us-east-1', (region) => {
      const b = region.loadBalancers[1]
      if (b !== undefined) b.listeners.push({protocol: 'HTTP', loadBalancerPort: 80, instanceProtocol: 'HTTP', instancePort: 80, policyNames: []})
    })
    store.updateRegion('us-east-1', (region) => { region.loadBalancers = region.loadBalancers.filter((record) => record.name !== 'a') })
    store.updateRegion('us-east-1', () => undefined)
    expect(changes.map((change) => change.loadBalancers.map((entry) => entry.name))).toEqual([['a', 'b'], ['b'], ['a']])
    expect(changes.every((change) => !change.all)).toBe(true)
  })

  it('ignores a torn last record, then cuts it off on the next write', () => {
    const store = Store.open(dir)
    store.updateRegion('us-east-1', (region) => { region.loadBalancers.push(lb('kept')) })
    const [segment] = listSegments(dir)
    if (segment === undefined) throw new Error('no journal segment')
    appendFileSync(segment.file, '0badc0de {"seq":2,"ops":[{"kind":"loadBalan')
    const reopened = Store.open(dir)
    expect(names(reopened)).toEqual(['kept'])
    reopened.updateRegion('us-east-1', (region) => { region.loadBalancers.push(lb('after')) })
    expect(names(Store.open(dir))).toEqual(['kept', 'after'])
    expect(readFileSync(segment.file, 'utf8')).not.toContain('loadBalan\n')
  })

  it('refuses a journal damaged before its last record, and leaves every file as it was', () => {
    const store = Store.open(dir)
    for (const name of ['a', 'b', 'c']) store.updateRegion('us-east-1', (region) => { region.loadBalancers.push(lb(name)) })
    const [segment] = listSegments(dir)
    if (segment === undefined) throw new Error('no journal segment')
    const damaged = readFileSync(segment.file, 'utf8').replace('"name":"b"', '"name":"x"')
    writeFileSync(segment.file, damaged)
    expect(() => Store.open(dir)).toThrow(StateFileError)
    expect(readFileSync(segment.file, 'utf8')).toBe(damaged)
  })

  it('refuses a last record that is whole but fails its checksum, naming file, offset and the way out', () => {
    const store = Store.open(dir)
    for (const name of ['a', 'b', 'c']) store.updateRegion('us-east-1', (region) => { region.loadBalancers.push(lb(name)) })
    const [segment] = listSegments(dir)
    if (segment === undefined) throw new Error('no journal segment')
    const bytes = readFileSync(segment.file)
    const lastStart = bytes.lastIndexOf(0x0a, bytes.length - 2) + 1
    // One flipped bit in the name of the last record: the line still ends in its newline.
    const flipped = bytes.indexOf('"name":"c"', lastStart) + 8
    bytes[flipped] = (bytes[flipped] ?? 0) ^ 0x01
    writeFileSync(segment.file, bytes)
    expect(() => Store.open(dir)).toThrow(StateFileError)
    expect(() => Store.open(dir)).toThrow(`damaged journal record at byte ${lastStart} of ${segment.file}`)
    expect(() => Store.open(dir)).toThrow(`truncate -s ${lastStart} ${segment.file}`)
    expect(readFileSync(segment.file)).toEqual(bytes)
  })

  it('still ignores a torn last record without its newline, even one that ends exactly at a record boundary', () => {
    const store = Store.open(dir)
    for (const name of ['a', 'b']) store.updateRegion('us-east-1', (region) => { region.loadBalancers.push(lb(name)) })
    const [segment] = listSegments(dir)
    if (segment === undefined) throw new Error('no journal segment')
    const text = readFileSync(segment.file, 'utf8')
    writeFileSync(segment.file, text.slice(0, -1))
    expect(names(Store.open(dir))).toEqual(['a'])
  })

  it('stops taking writes after a failed fdatasync, and says so (fail-stop)', async () => {
    const store = Store.open(dir)
    store.updateRegion('us-east-1', (region) => { region.loadBalancers.push(lb('synced')) })
    await store.durable()
    store.updateRegion('us-east-1', (region) => { region.loadBalancers.push(lb('unsynced')) })
    // Fault injection: the journal's descriptor goes away under it, so its next fdatasync fails (EBADF).
    const [segment] = listSegments(dir)
    const journalFd = readdirSync('/proc/self/fd').map(Number).find((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === segment?.file
      } catch {
        return false
      }
    })
    if (journalFd === undefined) throw new Error('the journal descriptor was not found')
    closeSync(journalFd)
    const failure = await store.durable().then(() => undefined, (error: unknown) => error)
    expect(failure).toBeInstanceOf(ServiceError)
    expect(failure).toMatchObject({code: 'InternalFailure', status: 500})
    expect((failure as Error).message).toMatch(/could not be synced to disk \(EBADF.*restart it/)
    let refused: unknown
    try {
      store.updateRegion('us-east-1', (region) => { region.loadBalancers.push(lb('after')) })
    } catch (error) {
      refused = error
    }
    expect(refused).toMatchObject({code: 'InternalFailure', message: expect.stringMatching(/the journal stopped after a failed sync/)})
    expect(names(store)).toEqual(['synced', 'unsynced'])
  })

  it('refuses a journal with a record missing', () => {
    const store = Store.open(dir)
    for (const name of ['a', 'b', 'c']) store.updateRegion('us-east-1', (region) => { region.loadBalancers.push(lb(name)) })
    const [segment] = listSegments(dir)
    if (segment === undefined) throw new Error('no journal segment')
    const lines = readFileSync(segment.file, 'utf8').split('\n')
    writeFileSync(segment.file, [lines[0], lines[2], ''].join('\n'))
    expect(() => Store.open(dir)).toThrow(/records are missing/)
  })

  it('compacts into state.json, deletes the folded segments, and keeps writing meanwhile', async () => {
    const store = Store.open(dir)
    for (let n = 0; n < 50; n++) store.updateRegion('us-east-1', (region) => { region.loadBalancers.push(lb(`lb-${n}`)) })
    const compaction = store.compact()
    // Writes during the compaction go to the next segment.
    store.updateRegion('us-east-1', (region) => { region.loadBalancers.push(lb('during')) })
    await compaction
    const snapshot = JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as {journalSeq: number; regions: Record<string, {loadBalancers: unknown[]}>}
    expect(snapshot.journalSeq).toBe(50)
    expect(snapshot.regions['us-east-1']?.loadBalancers).toHaveLength(50)
    expect(listSegments(dir).map((segment) => segment.firstSeq)).toEqual([51])
    const reopened = Store.open(dir)
    expect(reopened.state).toEqual(store.state)
    expect(names(reopened).at(-1)).toBe('during')
  })

  it('recovers from a compaction that crashed at any step', async () => {
    const store = Store.open(dir)
    for (let n = 0; n < 20; n++) store.updateRegion('us-east-1', (region) => { region.loadBalancers.push(lb(`lb-${n}`)) })
    const journalBefore = listSegments(dir).map((segment) => [segment.file, readFileSync(segment.file)] as const)
    await store.compact()
    store.updateRegion('us-east-1', (region) => { region.loadBalancers.push(lb('after')) })
    const expected = store.state

    // Crashed after the rename, before the old segments were deleted: they are skipped on replay.
    for (const [file, bytes] of journalBefore) writeFileSync(file, bytes)
    expect(Store.open(dir).state).toEqual(expected)

    // Crashed while writing the temporary file: it is ignored, and removed by the next compaction.
    const temp = join(dir, `${STATE_FILE}.99999.tmp`)
    writeFileSync(temp, '{"formatVersion":1,"accountId":"12345')
    const reopened = Store.open(dir)
    expect(reopened.state).toEqual(expected)
    await reopened.compact()
    expect(existsSync(temp)).toBe(false)
    expect(readdirSync(dir).filter((name) => name.startsWith('journal-'))).toEqual([])
    expect(Store.open(dir).state).toEqual(expected)
  })

  it('reads a state file written before the journal existed', () => {
    writeFileSync(join(dir, STATE_FILE), JSON.stringify({formatVersion: 1, accountId: '999999999999', regions: {'us-east-1': {loadBalancers: [lb('old')], instances: []}}, iam: {serverCertificates: []}}))
    const store = Store.open(dir)
    expect(names(store)).toEqual(['old'])
    store.updateRegion('us-east-1', (region) => { region.loadBalancers.push(lb('new')) })
    expect(names(Store.open(dir))).toEqual(['old', 'new'])
  })
})
