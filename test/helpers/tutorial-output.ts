/** Checks shared by the tutorial-script tests (scripts/tutorial*.sh run as a user would). */
import {existsSync} from 'node:fs'
import {expect} from '@jest/globals'
import {isAnswering} from '../../src/lib/client/local-engine.js'

/** The script named its private state directory and engine, and left neither behind. */
export async function expectNothingLeftBehind(output: string): Promise<void> {
  const home = /State directory \(ELB_LOCAL_HOME\): (\S+)/.exec(output)?.[1] ?? ''
  const endpoint = /Engine endpoint \(ELB_LOCAL_ENDPOINT\): (\S+)/.exec(output)?.[1] ?? ''
  expect(home).not.toBe('')
  expect(existsSync(home)).toBe(false)
  expect(await isAnswering(endpoint)).toBe(false)
}
