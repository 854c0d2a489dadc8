import type {Store} from '../model/store.js'

/**
 * STS (2011-06-15) as far as provisioning tools need it: GetCallerIdentity names the engine's one
 * account (Ansible's amazon.aws modules ask it for the account id before they touch security
 * groups). Every caller is the account's root: the engine has no users.
 */
export class StsService {
  constructor(private readonly store: Store) {}

  getCallerIdentity(): {UserId: string; Account: string; Arn: string} {
    const account = this.store.state.accountId
    return {UserId: account, Account: account, Arn: `arn:aws:iam::${account}:root`}
  }
}
