import {describe, expect, it} from '@jest/globals'
import {DESCRIPTIONS, HealthCounter} from '../../../../src/engine/health/counter.js'

const thresholds = {healthy: 3, unhealthy: 2}

describe('HealthCounter', () => {
  it('a new instance reports registration in progress, then InService on the first pass', () => {
    const counter = new HealthCounter(thresholds, {firstSuccessEnough: true})
    expect(counter.health()).toEqual({state: 'OutOfService', reasonCode: 'ELB', description: DESCRIPTIONS.registering})
    expect(counter.onResult(true)).toBe('Changed')
    expect(counter.health()).toEqual({state: 'InService', reasonCode: 'N/A', description: 'N/A'})
  })

  it('with firstSuccessEnough off a new instance needs HealthyThreshold passes', () => {
    const counter = new HealthCounter(thresholds, {firstSuccessEnough: false})
    expect(counter.onResult(true)).toBe('ChangePending')
    expect(counter.onResult(true)).toBe('ChangePending')
    expect(counter.status).toBe('Registering')
    expect(counter.onResult(true)).toBe('Changed')
    expect(counter.status).toBe('InService')
  })

  it('goes OutOfService only after UnhealthyThreshold consecutive failures', () => {
    const counter = new HealthCounter(thresholds, {firstSuccessEnough: true})
    counter.onResult(true)
    expect(counter.onResult(false)).toBe('ChangePending')
    expect(counter.onResult(true)).toBe('Unchanged')
    expect(counter.onResult(false)).toBe('ChangePending')
    expect(counter.onResult(false)).toBe('Changed')
    expect(counter.health()).toEqual({
      state: 'OutOfService', reasonCode: 'Instance',
      description: 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.',
    })
    expect(counter.onResult(false)).toBe('Unchanged')
  })

  it('an unhealthy instance needs HealthyThreshold consecutive passes and says so meanwhile', () => {
    const counter = new HealthCounter(thresholds, {firstSuccessEnough: true})
    counter.onResult(false)
    counter.onResult(false)
    expect(counter.status).toBe('OutOfService')
    expect(counter.onResult(true)).toBe('ChangePending')
    expect(counter.health().description).toBe('Instance has not passed the configured HealthyThreshold number of health checks consecutively.')
    expect(counter.onResult(false)).toBe('Unchanged')
    expect(counter.health().description).toBe(DESCRIPTIONS.failedChecks)
    counter.onResult(true)
    counter.onResult(true)
    expect(counter.onResult(true)).toBe('Changed')
    expect(counter.status).toBe('InService')
  })

  it('new thresholds apply from the next result and counters are kept', () => {
    const counter = new HealthCounter({healthy: 10, unhealthy: 10}, {firstSuccessEnough: true})
    counter.onResult(true)
    counter.onResult(false)
    counter.setThresholds({healthy: 2, unhealthy: 2})
    expect(counter.onResult(false)).toBe('Changed')
  })

  it('markDown puts an instance out of service until it earns HealthyThreshold again', () => {
    const counter = new HealthCounter(thresholds, {firstSuccessEnough: true})
    counter.onResult(true)
    expect(counter.markDown()).toBe('Changed')
    counter.onResult(true)
    expect(counter.status).toBe('OutOfService')
  })
})
