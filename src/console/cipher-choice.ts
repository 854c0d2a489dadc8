/** An SSL negotiation policy choice (cipher-chooser.tsx edits it) and what it becomes. */
import {POLICY_TYPES} from '../engine/model/elb/vocabulary.js'

export interface CipherChoice {
  /** A predefined policy name, or 'Custom'. */
  readonly policy: string
  /** Custom: every flag of SSLNegotiationPolicyType, on or off. */
  readonly custom: Readonly<Record<string, boolean>>
}

/** The policy type a choice is created as. */
export const CIPHER_POLICY_TYPE = POLICY_TYPES.sslNegotiation

/** The attributes CreateLoadBalancerPolicy gets for a choice (Custom: every flag, so unlisted ones take no default). */
export function policyAttributes(choice: CipherChoice): [string, string][] {
  return choice.policy === 'Custom'
    ? Object.entries(choice.custom).map(([attribute, enabled]) => [attribute, String(enabled)])
    : [['Reference-Security-Policy', choice.policy]]
}
