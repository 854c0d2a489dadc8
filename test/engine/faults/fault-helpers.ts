/**
 * What the fault tests share: one HTTP request through a load balancer with its timing, the access
 * log lines the engine wrote, and the admin calls that set and clear faults.
 */
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {request as httpRequest} from 'node:http'
import {connect} from 'node:net'
import {DescribeInstanceHealthCommand} from '@aws-sdk/client-elastic-load-balancing'
import type {ActiveFault, FaultRequest} from '../../../src/engine/faults/vocabulary.js'
import {eventually, type TestEngine} from '../../helpers/engine.js'

export interface Answer {
  readonly status: number
  readonly statusMessage: string
  readonly body: string
  readonly ms: number
  /** Set when the response did not complete (reset, truncated). */
  readonly error?: string
}

export function send(host: string, port: number, path: string, timeoutMs = 10_000): Promise<Answer> {
  const started = performance.now()
  return new Promise((resolve) => {
    let status = 0
    let statusMessage = ''
    let body = ''
    const done = (error?: string) => { resolve({status, statusMessage, body, ms: performance.now() - started, ...(error === undefined ? {} : {error})}) }
    const req = httpRequest({host, port, path, agent: false, timeout: timeoutMs}, (res) => {
      status = res.statusCode ?? 0
      statusMessage = res.statusMessage ?? ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.once('end', () => { done() })
      res.once('aborted', () => { done('aborted') })
      res.once('error', (error) => { done(error.message) })
    })
    req.once('timeout', () => { req.destroy(new Error('client timeout')) })
    req.once('error', (error) => { done(error.message) })
    req.end()
  })
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}

/** The access-log fields of the request for `path` (waits for the line to be written). */
export async function accessLogFields(home: string, bucket: string, path: string): Promise<string[]> {
  const dir = join(home, 'access-logs', bucket)
  return eventually(() => {
    if (!existsSync(dir)) return undefined
    const line = walk(dir).flatMap((file) => readFileSync(file, 'utf8').split('\n')).find((candidate) => candidate.includes(`${path} HTTP/1.1"`))
    return line?.split(' ')
  }, 5_000, `the access-log line of ${path}`)
}

/** Every access-log line's fields so far. */
export function accessLogNow(home: string, bucket: string): string[][] {
  const dir = join(home, 'access-logs', bucket)
  if (!existsSync(dir)) return []
  return walk(dir).flatMap((file) => readFileSync(file, 'utf8').split('\n')).filter((line) => line !== '').map((line) => line.split(' '))
}

/** Raw bytes to the load balancer; resolves with what came back once it closed. */
export function rawExchange(host: string, port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let reply = ''
    const socket = connect({host, port}, () => { socket.write(bytes, 'latin1') })
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => { reply += chunk })
    socket.once('error', reject)
    socket.once('close', () => { resolve(reply) })
  })
}

/** The access-log lines that name `path` now (no wait: for what must not be logged). */
export function accessLogLinesNow(home: string, bucket: string, path: string): string[] {
  const dir = join(home, 'access-logs', bucket)
  if (!existsSync(dir)) return []
  return walk(dir).flatMap((file) => readFileSync(file, 'utf8').split('\n')).filter((line) => line.includes(`${path} HTTP/1.1"`))
}

/** Access-log fields by name (Classic ELB's order). */
export const FIELD = {backend: 3, requestTime: 4, backendTime: 5, responseTime: 6, elbStatus: 7, backendStatus: 8} as const

export async function setFault(t: TestEngine, request: FaultRequest): Promise<ActiveFault> {
  return (await t.admin.call('setFault', request)).fault
}

export async function clearFaults(t: TestEngine): Promise<readonly ActiveFault[]> {
  return (await t.admin.call('clearFaults', {all: true})).cleared
}

export async function instanceStateOf(t: TestEngine, lb: string, instanceId: string): Promise<{state: string; description: string}> {
  const health = await t.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: lb, Instances: [{InstanceId: instanceId}]}))
  const row = health.InstanceStates?.[0]
  return {state: row?.State ?? '', description: row?.Description ?? ''}
}

export function waitForState(t: TestEngine, lb: string, instanceId: string, state: 'InService' | 'OutOfService', timeoutMs = 15_000): Promise<{state: string; description: string}> {
  return eventually(async () => {
    const health = await instanceStateOf(t, lb, instanceId)
    return health.state === state ? health : undefined
  }, timeoutMs, `${instanceId} ${state} on ${lb}`)
}
