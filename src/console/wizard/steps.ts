/** What the wizard's frame (wizard.tsx) and its step pages (steps-*.tsx) share: titles and props. */
import type {StepName, WizardState} from './model.js'

export const STEP_TITLES: Record<StepName, string> = {
  define: 'DEFINE LOAD BALANCER',
  certificate: 'Upload SSL Certificate',
  ciphers: 'Configure Ciphers',
  backend: 'Configure Back-end Server Authentication',
  healthcheck: 'Configure Health Check',
  instances: 'Add Amazon EC2 Instances',
  review: 'Review',
}

/** Field name → its message (or a structured one) for the step on show. */
export type Errors = Record<string, unknown>

export interface StepProps {
  readonly state: WizardState
  readonly update: (change: (draft: WizardState) => void) => void
  readonly errors: Errors
}
