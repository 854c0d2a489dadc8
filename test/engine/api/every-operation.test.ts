import {serviceSpecs} from '../../../src/engine/api/operations.js'
import {ELB_VERSION} from '../../../src/engine/api/services/elb.js'
import {IAM_VERSION} from '../../../src/engine/api/services/iam.js'
import {lowerCamel} from '../../../src/engine/api/operations.js'
import type {RequestContext} from '../../../src/engine/model/types.js'
import {elbStandIn, startApiServer, type ApiServerHandle} from '../../helpers/api-server.js'
import {formBody, minimalParams} from '../../helpers/query-requests.js'

/**
 * Every operation in the table, sent over a real socket, reaches the model method of its name and
 * answers. Fails if an operation of data/elb-iam-operations.json has no service method, calls the
 * wrong one, or answers with InvalidAction or a 500.
 */

const tables = [
  {version: ELB_VERSION, spec: serviceSpecs().elb},
  {version: IAM_VERSION, spec: serviceSpecs().iam},
]

async function post(api: ApiServerHandle, params: Record<string, string>): Promise<{status: number; body: string}> {
  const res = await fetch(api.endpoint, {
    method: 'POST', body: formBody(params), headers: {'Content-Type': 'application/x-www-form-urlencoded'},
  })
  return {status: res.status, body: await res.text()}
}

describe('every operation in the table', () => {
  it('reaches the model method of its name with the decoded input and answers its envelope', async () => {
    const calls: {method: string; ctx: RequestContext; input: unknown}[] = []
    const recorder = new Proxy({}, {
      get: (_target, key) => typeof key !== 'string' ? undefined : (ctx: RequestContext, input: unknown) => {
        calls.push({method: key, ctx, input})
        return {}
      },
    })
    const api = await startApiServer({elb: elbStandIn(recorder)})
    try {
      // The IAM side of the helper is the real IamService: record it the same way.
      Object.assign(api.iamService, Object.fromEntries(
        [...serviceSpecs().iam.operations.values()].map((operation) => [operation.method, (ctx: RequestContext, input: unknown) => {
          calls.push({method: operation.method, ctx, input})
          return {}
        }]),
      ))
      let count = 0
      for (const {version, spec} of tables) {
        for (const operation of spec.operations.values()) {
          calls.length = 0
          const params = minimalParams(operation, version)
          const answer = await post(api, params)
          expect({action: operation.action, status: answer.status}).toEqual({action: operation.action, status: 200})
          expect(answer.body).toContain(`<${operation.action}Response xmlns="${spec.xmlNamespace}">`)
          expect(calls.map((call) => call.method)).toEqual([lowerCamel(operation.action)])
          expect(calls[0]?.ctx.region).toBe('us-east-1')
          count++
        }
      }
      expect(count).toBe(serviceSpecs().elb.operations.size + serviceSpecs().iam.operations.size)
    } finally {
      await api.close()
    }
  })

  it('answers every operation from the real models with 200 or a modelled client error, never a 500', async () => {
    const api = await startApiServer()
    try {
      for (const {version, spec} of tables) {
        for (const operation of spec.operations.values()) {
          const answer = await post(api, minimalParams(operation, version))
          const code = /<Code>([^<]+)<\/Code>/.exec(answer.body)?.[1]
          expect({action: operation.action, status: answer.status < 500, code: code === 'InvalidAction' || code === 'InternalFailure'})
            .toEqual({action: operation.action, status: true, code: false})
        }
      }
      expect(api.log.filter((line) => line.includes('internal error'))).toEqual([])
    } finally {
      await api.close()
    }
  })
})
