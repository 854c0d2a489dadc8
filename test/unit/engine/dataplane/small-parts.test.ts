import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {accessLogPath, formatAccessLogLine} from '../../../../src/engine/dataplane/access-log.js'
import {spkiOfPublicKeyAttribute} from '../../../../src/engine/dataplane/upstream/auth.js'
import {escapeLogText} from '../../../../src/engine/log-escape.js'
import {bindErrorMessage} from '../../../../src/engine/dataplane/listener.js'
import {proxyProtocolV1Header} from '../../../../src/engine/dataplane/tcp/proxy-protocol.js'

describe('proxy protocol v1', () => {
  test('the header line as the ELB guide shows it', () => {
    expect(proxyProtocolV1Header('198.51.100.22', 35646, '203.0.113.7', 80)).toBe('PROXY TCP4 198.51.100.22 203.0.113.7 35646 80\r\n')
    expect(proxyProtocolV1Header('2001:db8::1', 1, '2001:db8::2', 80)).toBe('PROXY TCP6 2001:db8::1 2001:db8::2 1 80\r\n')
  })
})

describe('access log', () => {
  test('line format of Classic ELB', () => {
    const line = formatAccessLogLine('my-loadbalancer', {
      time: new Date('2015-05-13T23:39:43.945Z'), client: '192.168.131.39:2817', backend: '10.0.0.1:80',
      requestProcessing: 0.000073, backendProcessing: 0.001048, responseProcessing: 0.000057, elbStatus: '200', backendStatus: '200',
      receivedBytes: 0, sentBytes: 29, request: 'GET http://www.example.com:80/ HTTP/1.1', userAgent: 'curl/7.38.0', sslCipher: '-', sslProtocol: '-',
    })
    expect(line).toBe('2015-05-13T23:39:43.945000Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.38.0" - -')
  })

  test('quoted fields escape backslash, quote, control and non-ASCII bytes (no line can be forged)', () => {
    const line = formatAccessLogLine('lb', {
      time: new Date('2015-05-13T23:39:43.945Z'), client: '1.2.3.4:5', backend: '-',
      requestProcessing: -1, backendProcessing: -1, responseProcessing: -1, elbStatus: '400', backendStatus: '-',
      receivedBytes: 0, sentBytes: 0, request: 'GET http://h:80/a\nb HTTP/1.1', userAgent: 'q"\\\r\u0000\u001b[31m\u00ff\u2028', sslCipher: '-', sslProtocol: '-',
    })
    expect(line).toBe('2015-05-13T23:39:43.945000Z lb 1.2.3.4:5 - -1 -1 -1 400 - 0 0 "GET http://h:80/a\\x0ab HTTP/1.1" "q\\"\\\\\\x0d\\x00\\x1b[31m\\xff\\xe2\\x80\\xa8" - -')
  })

  test('file path under the bucket and prefix', () => {
    const path = accessLogPath('/logs', {bucket: 'b', prefix: 'p', emitIntervalMinutes: 5},
      {accountId: '123456789012', region: 'us-east-1', loadBalancerName: 'lb', nodeIp: '127.1.0.1'}, new Date('2014-02-15T23:40:00Z'), 'abcd')
    expect(path).toBe('/logs/b/p/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2014/02/15/123456789012_elasticloadbalancing_us-east-1_lb_20140215T2340Z_127.1.0.1_abcd.log')
  })
})

describe('engine log lines', () => {
  test('a request id or message with a line break, ESC or backslash stays one printable line', () => {
    expect(escapeLogText('req-1 Action=a\nreq-2 ForgedAction 200 1ms\u001b[2J\\ "ok"')).toBe('req-1 Action=a\\x0areq-2 ForgedAction 200 1ms\\x1b[2J\\\\ "ok"')
    expect(escapeLogText('plain line')).toBe('plain line')
  })
})

describe('back-end public keys', () => {
  test('an SPKI, a whole certificate and PEM armour all normalise to the SPKI', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-auth-'))
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=b', '-keyout', join(dir, 'k'), '-out', join(dir, 'c')], {stdio: 'ignore'})
      const pubPem = execFileSync('openssl', ['x509', '-pubkey', '-noout', '-in', join(dir, 'c')], {encoding: 'utf8'})
      const spki = pubPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '')
      const certPem = readFileSync(join(dir, 'c'), 'utf8')
      const certBase64 = certPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '')
      expect(spkiOfPublicKeyAttribute(spki)).toBe(spki)
      expect(spkiOfPublicKeyAttribute(certBase64)).toBe(spki)
      expect(spkiOfPublicKeyAttribute(pubPem)).toBe(spki)
      expect(spkiOfPublicKeyAttribute('bm90IGEga2V5')).toBeUndefined()
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

describe('bind errors', () => {
  test('EACCES names the --port-offset option', () => {
    const error = Object.assign(new Error('listen EACCES'), {code: 'EACCES'})
    expect(bindErrorMessage(error, '127.1.0.1', 80, 80, 0)).toBe('permission denied binding 127.1.0.1:80: ports below 1024 need root or ' +
      'CAP_NET_BIND_SERVICE: restart the engine with `elb-local start --port-offset 8000` to serve port 80 on 8080 instead')
  })
})
