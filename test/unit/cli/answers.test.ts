import {ANSWER_DEPTH_LIMIT, checkAnswerBody, checkAnswerHead, nestedDeeperThan, readTimeoutOf} from '../../../src/lib/client/answers.js'
import {BadAnswerError} from '../../../src/lib/cli/errors.js'
import {EndpointError} from '../../../src/lib/client/endpoint.js'

const head = {endpoint: 'http://127.0.0.1:1/', api: 'ELB', status: 200, headers: {'content-type': 'text/xml'}}

describe('nesting is counted over tags, linearly', () => {
  test('declarations, comments, CDATA and self-closing tags do not nest', () => {
    const flat = `<?xml version="1.0"?><!-- c --><R>${'<a/><![CDATA[<b>]]>'.repeat(1000)}</R>`
    expect(nestedDeeperThan(flat, 2)).toBe(false)
    expect(nestedDeeperThan('<a><b><c/></b></a>', 2)).toBe(false)
    expect(nestedDeeperThan('<a><b><c></c></b></a>', 2)).toBe(true)
  })

  test('a 16 MiB run of open tags is answered in well under a second', () => {
    const body = '<a>'.repeat((16 * 1024 * 1024) / 3)
    const started = process.hrtime.bigint()
    expect(nestedDeeperThan(body, ANSWER_DEPTH_LIMIT)).toBe(true)
    expect(nestedDeeperThan(`<a ${'x'.repeat(16 * 1024 * 1024)}`, ANSWER_DEPTH_LIMIT)).toBe(false)
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000)
  })
})

describe('the answer a success must be', () => {
  test('the operation\'s own document, with or without a declaration or namespace', () => {
    expect(() => { checkAnswerBody(head, '<?xml version="1.0"?>\n<DescribeLoadBalancersResponse xmlns="x"/>', 'DescribeLoadBalancers') }).not.toThrow()
    expect(() => { checkAnswerBody(head, '<ErrorResponse/>', 'DescribeLoadBalancers') }).toThrow(BadAnswerError)
    expect(() => { checkAnswerBody(head, '', 'DescribeLoadBalancers') }).toThrow(BadAnswerError)
    // An error status is judged by the legacy rules (service-errors.ts), not here.
    expect(() => { checkAnswerBody({...head, status: 500}, '<html/>', 'DescribeLoadBalancers') }).not.toThrow()
  })

  test('encodings other than identity are refused; identity and none pass', () => {
    expect(() => { checkAnswerHead({...head, headers: {'content-encoding': 'br'}}) }).toThrow('Content-Encoding br, never asked for')
    expect(() => { checkAnswerHead({...head, headers: {'content-encoding': 'identity'}}) }).not.toThrow()
    expect(() => { checkAnswerHead(head) }).not.toThrow()
  })
})

describe('read timeout setting', () => {
  test('default 60 s, the ELB variable, IAM\'s own else the ELB one; nonsense is one sentence', () => {
    expect(readTimeoutOf({}, 'elb')).toEqual({seconds: 60, variable: 'AWS_ELB_READ_TIMEOUT'})
    expect(readTimeoutOf({AWS_ELB_READ_TIMEOUT: '2.5'}, 'elb')).toEqual({seconds: 2.5, variable: 'AWS_ELB_READ_TIMEOUT'})
    expect(readTimeoutOf({AWS_ELB_READ_TIMEOUT: '5'}, 'iam')).toEqual({seconds: 5, variable: 'AWS_ELB_READ_TIMEOUT'})
    expect(readTimeoutOf({AWS_ELB_READ_TIMEOUT: '5', AWS_IAM_READ_TIMEOUT: '7'}, 'iam')).toEqual({seconds: 7, variable: 'AWS_IAM_READ_TIMEOUT'})
    for (const bad of ['0', 'abc', '1e9', '-1', ' 5']) expect(() => readTimeoutOf({AWS_ELB_READ_TIMEOUT: bad}, 'elb')).toThrow(EndpointError)
  })
})
