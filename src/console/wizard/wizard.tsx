/** The Create Load Balancer wizard: one page per step of the guide, Continue / Back, Review, Create. */
import {useState} from 'preact/hooks'
import {ErrorText} from '../ui.js'
import {BackendStep, CiphersStep} from './steps-ssl.js'
import {CertificateStep, DefineStep} from './steps-define.js'
import {HealthCheckStep, InstancesStep, ReviewStep} from './steps-final.js'
import {createFromWizard, initialState, StepError, stepsFor, type StepName, type WizardState} from './model.js'
import {STEP_TITLES, type Errors, type StepProps} from './steps.js'
import {checkStepWithEngine, validateStep} from './validate.js'

export function Wizard() {
  const [state, setState] = useState<WizardState>(initialState)
  const [current, setCurrent] = useState<StepName>('define')
  const [errors, setErrors] = useState<Errors>({})
  const [progress, setProgress] = useState<string[]>([])
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState<string>()
  const [zones, setZones] = useState<string[]>([])
  const steps = stepsFor(state)
  const index = Math.max(0, steps.indexOf(current))
  const update = (change: (draft: WizardState) => void) => {
    setState((previous) => {
      const draft = structuredClone(previous)
      change(draft)
      return draft
    })
  }
  const goTo = (step: StepName) => { setErrors({}); setCurrent(step) }

  async function next(): Promise<void> {
    setBusy(true)
    try {
      const local = validateStep(current, state)
      const problems = Object.keys(local).length > 0 ? local : await checkStepWithEngine(current, state)
      setErrors(problems)
      if (Object.keys(problems).length === 0) setCurrent(steps[index + 1] ?? 'review')
    } finally {
      setBusy(false)
    }
  }

  async function create(): Promise<void> {
    setBusy(true)
    setProgress([])
    try {
      const dnsName = await createFromWizard(state, zones, (line) => { setProgress((lines) => [...lines, line]) })
      setDone(dnsName)
    } catch (error) {
      const stepError = error instanceof StepError ? error : new StepError('review', 'create', error)
      setCurrent(stepError.step)
      setErrors({[stepError.field]: stepError.cause, create: stepError.cause})
    } finally {
      setBusy(false)
    }
  }

  if (done !== undefined) {
    return (
      <>
        <h1 tabIndex={-1}>Load Balancer Created</h1>
        <p role="status">{state.name} was created: <span class="dns">{done}</span></p>
        <p><a class="button primary" href={`#/load-balancers/${encodeURIComponent(state.name)}`}>View {state.name}</a> <a class="button" href="#/load-balancers">Close</a></p>
        <details><summary>API calls made</summary><ol>{progress.map((line) => <li key={line}>{line}</li>)}</ol></details>
      </>
    )
  }

  const props: StepProps = {state, update, errors}
  return (
    <>
      <h1 tabIndex={-1}>Create a New Load Balancer</h1>
      <ol class="steps" aria-label="Steps">
        {steps.map((step, position) => (
          <li key={step} aria-current={step === current ? 'step' : undefined} class={position < index ? 'done' : undefined}>{STEP_TITLES[step]}</li>
        ))}
      </ol>
      <form class="wizard" onSubmit={(event) => { event.preventDefault(); if (current === 'review') void create(); else void next() }}>
        <h2>{STEP_TITLES[current]}</h2>
        {current === 'define' ? <DefineStep {...props} /> : null}
        {current === 'certificate' ? <CertificateStep {...props} /> : null}
        {current === 'ciphers' ? <CiphersStep {...props} /> : null}
        {current === 'backend' ? <BackendStep {...props} /> : null}
        {current === 'healthcheck' ? <HealthCheckStep {...props} /> : null}
        {current === 'instances' ? <InstancesStep {...props} onZones={setZones} /> : null}
        {current === 'review' ? <ReviewStep {...props} steps={steps} goTo={goTo} zones={zones} /> : null}
        {errors.create !== undefined && current !== 'review' ? <p class="note">Create failed; nothing was left behind. Correct the value and continue to Review again.</p> : null}
        {current === 'review' ? <ErrorText error={errors.create} /> : null}
        <div class="wizard-buttons">
          {index > 0 ? <button type="button" onClick={() => { goTo(steps[index - 1] ?? 'define') }}>Back</button> : null}
          <a class="button" href="#/load-balancers">Cancel</a>
          {current === 'review'
            ? <button type="submit" class="primary" disabled={busy}>{busy ? 'Creating…' : 'Create'}</button>
            : <button type="submit" class="primary" disabled={busy}>Continue</button>}
        </div>
        {progress.length > 0 ? <ol class="progress" aria-label="API calls">{progress.map((line) => <li key={line}>{line}</li>)}</ol> : null}
      </form>
    </>
  )
}
