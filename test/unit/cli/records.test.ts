import {renderLong, renderMarker, renderTable, toRecordSet} from '../../../src/lib/cli/format/records.js'
import {INSTANCE_HEALTH, INSTANCE_ID, SECURITY_GROUPS} from '../../../src/lib/cli/format/schemas.js'

/** Golden outputs copied from the legacy reference's verbatim runs of the 1.0.17.0 jar (§3.1, §3.7). */
const health = toRecordSet(INSTANCE_HEALTH, [
  {InstanceId: 'i-90d8c2a5', State: 'InService', Description: 'N/A', ReasonCode: 'N/A'},
  {
    InstanceId: 'i-06ea3e60',
    State: 'OutOfService',
    Description: 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.',
    ReasonCode: 'Instance',
  },
])
const table = (headers = false, delimiter?: string, showEmptyFields = false) => ({headers, delimiter, showEmptyFields})
const lines = (text: string): string[] => text.split('\n')

describe('table view', () => {
  test('pads every column but the last to its widest cell, two spaces apart', () => {
    expect(renderTable(health, table())).toEqual(
      lines(`INSTANCE_ID  i-90d8c2a5  InService     N/A                                                                                         N/A
INSTANCE_ID  i-06ea3e60  OutOfService  Instance has failed at least the UnhealthyThreshold number of health checks consecutively.  Instance`),
    )
  })

  test('--headers: widths include the header row', () => {
    expect(renderTable(health, table(true))).toEqual(
      lines(`INSTANCE_ID  INSTANCE_ID  STATE         DESCRIPTION                                                                                 REASON-CODE
INSTANCE_ID  i-90d8c2a5   InService     N/A                                                                                         N/A
INSTANCE_ID  i-06ea3e60   OutOfService  Instance has failed at least the UnhealthyThreshold number of health checks consecutively.  Instance`),
    )
  })

  test('--delimiter keeps the padding', () => {
    const widest = 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.'.length
    expect(renderTable(health, table(false, '|'))[0]).toBe(`INSTANCE_ID|i-90d8c2a5|InService   |${'N/A'.padEnd(widest)}|N/A`)
  })

  test('all-empty columns are dropped, empty cells blank; --show-empty-fields prints (nil)', () => {
    const sparse = toRecordSet(INSTANCE_HEALTH, [
      {InstanceId: 'i-aaaaaaaa', State: 'InService'},
      {InstanceId: 'i-bbbbbbbb', State: 'OutOfService', Description: '', ReasonCode: 'ELB'},
    ])
    expect(renderTable(sparse, table(true))).toEqual([
      'INSTANCE_ID  INSTANCE_ID  STATE         REASON-CODE',
      'INSTANCE_ID  i-aaaaaaaa   InService     ',
      'INSTANCE_ID  i-bbbbbbbb   OutOfService  ELB',
    ])
    expect(renderTable(sparse, table(true, undefined, true))).toEqual([
      'INSTANCE_ID  INSTANCE_ID  STATE         DESCRIPTION  REASON-CODE',
      'INSTANCE_ID  i-aaaaaaaa   InService     (nil)        (nil)',
      'INSTANCE_ID  i-bbbbbbbb   OutOfService  (nil)        ELB',
    ])
    expect(renderLong(sparse, {headers: false, delimiter: undefined})).toEqual([
      'INSTANCE_ID,i-aaaaaaaa,InService,(nil),(nil)',
      'INSTANCE_ID,i-bbbbbbbb,OutOfService,(nil),ELB',
    ])
  })

  test('the record type doubles as a header; SECURITYGROUPS vs SECURITY_GROUPS', () => {
    expect(renderTable(toRecordSet(INSTANCE_ID, ['i-11111111', 'i-22222222']), table(true))).toEqual([
      'INSTANCE_ID  INSTANCE_ID',
      'INSTANCE_ID  i-11111111',
      'INSTANCE_ID  i-22222222',
    ])
    expect(renderTable(toRecordSet(SECURITY_GROUPS, [['sg-1a2b3c4d', 'sg-5e6f7a8b']]), table(true))).toEqual([
      'SECURITYGROUPS  SECURITY_GROUPS',
      'SECURITYGROUPS  sg-1a2b3c4d, sg-5e6f7a8b',
    ])
  })
})

describe('long view', () => {
  test('delimited, no padding, cells holding the delimiter double-quoted (quotes not escaped)', () => {
    expect(renderLong(health, {headers: true, delimiter: undefined})).toEqual(
      lines(`INSTANCE_ID,INSTANCE_ID,STATE,DESCRIPTION,REASON-CODE
INSTANCE_ID,i-90d8c2a5,InService,N/A,N/A
INSTANCE_ID,i-06ea3e60,OutOfService,Instance has failed at least the UnhealthyThreshold number of health checks consecutively.,Instance`),
    )
    const odd = toRecordSet(INSTANCE_ID, ['has a | pipe, a comma and a "quote"'])
    expect(renderLong(odd, {headers: false, delimiter: '|'})).toEqual(['INSTANCE_ID|"has a | pipe, a comma and a "quote""'])
    expect(renderLong(odd, {headers: false, delimiter: ';'})).toEqual(['INSTANCE_ID;has a | pipe, a comma and a "quote"'])
  })
})

test('the pagination marker record', () => {
  expect(renderMarker('abcMARKER==', {headers: false, showEmptyFields: false})).toEqual(['abcMARKER=='])
  expect(renderMarker('abcMARKER==', {headers: true, showEmptyFields: false})).toEqual(['PAGINATION_MARKER', 'abcMARKER=='])
  expect(renderMarker('', {headers: true, showEmptyFields: true})).toEqual(['PAGINATION_MARKER', '(nil)'])
})
