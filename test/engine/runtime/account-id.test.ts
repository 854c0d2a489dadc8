import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from '@jest/globals'
import {AccountIdMismatchError, startEngine} from '../../../src/engine/main.js'

describe('ELB_LOCAL_ACCOUNT_ID (startEngine accountId)', () => {
  const home = mkdtempSync(join(tmpdir(), 'elb-account-'))
  const options = {home, host: '127.0.0.1', port: 0, instanceNetwork: '127.0.251', loadBalancerNetwork: '127.251'}
  afterAll(() => { rmSync(home, {recursive: true, force: true}) })

  it('an empty state takes it; a state with resources made under another id refuses to start, untouched', async () => {
    const first = await startEngine({...options, accountId: '111111111111'})
    expect(first.store.state.accountId).toBe('111111111111')
    first.instances.runInstances('us-east-1', {count: 1})
    await first.close()

    const refused = startEngine({...options, accountId: '222222222222'})
    await expect(refused).rejects.toBeInstanceOf(AccountIdMismatchError)
    await expect(refused).rejects.toThrow(`The state in ${home} belongs to account 111111111111, but ELB_LOCAL_ACCOUNT_ID is 222222222222: ` +
      'its ARNs and DNS names already name the other account. Use another ELB_LOCAL_HOME, or empty this one first ' +
      '(`elb-local reset`, with the old id), then start again.')

    const same = await startEngine({...options, accountId: '111111111111'})
    expect(same.store.state.accountId).toBe('111111111111')
    await same.close()
  })
})
