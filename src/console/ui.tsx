/** Small shared pieces: labelled fields with their AWS error, error boxes, confirmation, tabs. */
import type {ComponentChildren} from 'preact'
import {useEffect, useRef, useState} from 'preact/hooks'
import {ApiError} from './api.js'

let nextId = 0
export function useId(prefix: string): string {
  const ref = useRef('')
  if (ref.current === '') ref.current = `${prefix}-${++nextId}`
  return ref.current
}

/** An AWS error as the API gave it: code and message, verbatim. */
export function ErrorText({error, id}: {error: unknown; id?: string}) {
  if (error === undefined || error === null) return null
  const code = error instanceof ApiError ? error.code : error instanceof Error ? error.name : 'Error'
  const message = error instanceof Error ? error.message : JSON.stringify(error)
  return <p class="error" role="alert" id={id}><strong>{code}</strong>: {message}</p>
}

interface FieldProps {
  readonly label: string
  readonly value: string
  readonly onInput: (value: string) => void
  readonly error?: unknown
  readonly multiline?: boolean
  readonly placeholder?: string
  readonly hint?: string
  readonly name?: string
}

export function Field({label, value, onInput, error, multiline, placeholder, hint, name}: FieldProps) {
  const id = useId('field')
  const errorId = `${id}-error`
  const common = {
    id, value, name, placeholder,
    'aria-invalid': error === undefined || error === null ? undefined : true,
    'aria-describedby': error === undefined || error === null ? undefined : errorId,
    onInput: (event: Event) => { onInput((event.currentTarget as HTMLInputElement).value) },
  }
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {multiline === true ? <textarea rows={5} spellcheck={false} {...common} /> : <input type="text" {...common} />}
      {hint === undefined ? null : <small>{hint}</small>}
      <ErrorText error={error} id={errorId} />
    </div>
  )
}

export function Select({label, value, options, onChange, error}: {
  label: string; value: string; options: readonly (string | [string, string])[]; onChange: (value: string) => void; error?: unknown
}) {
  const id = useId('select')
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => { onChange(event.currentTarget.value) }}>
        {options.map((option) => {
          const [optionValue, optionLabel] = typeof option === 'string' ? [option, option] : option
          return <option key={optionValue} value={optionValue}>{optionLabel}</option>
        })}
      </select>
      <ErrorText error={error} />
    </div>
  )
}

/** A button that asks again before doing something that cannot be undone. */
export function ConfirmButton({label, question, onConfirm}: {label: string; question: string; onConfirm: () => Promise<void>}) {
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const yes = useRef<HTMLButtonElement>(null)
  useEffect(() => { if (asking) yes.current?.focus() }, [asking])
  if (!asking) return <><button type="button" class="danger" onClick={() => { setAsking(true); setError(undefined) }}>{label}</button><ErrorText error={error} /></>
  return (
    <span class="confirm" role="group" aria-label={question}>
      {question}{' '}
      <button type="button" ref={yes} class="danger" disabled={busy} onClick={() => {
        setBusy(true)
        onConfirm().then(() => { setAsking(false) }, (caught: unknown) => { setError(caught); setAsking(false) }).finally(() => { setBusy(false) })
      }}>Yes, {label}</button>{' '}
      <button type="button" onClick={() => { setAsking(false) }}>Cancel</button>
    </span>
  )
}

export function Tabs({tabs, current, href}: {tabs: readonly string[]; current: string; href: (tab: string) => string}) {
  return (
    <nav class="tabs" aria-label="Load balancer tabs">
      {tabs.map((tab) => <a key={tab} href={href(tab)} aria-current={tab === current ? 'page' : undefined}>{tab}</a>)}
    </nav>
  )
}

/** Runs `load` now and every `everyMs` (if given); keeps the last value and error. */
export function usePolling<T>(load: () => Promise<T>, deps: readonly unknown[], everyMs?: number): {value: T | undefined; error: unknown; reload: () => void} {
  const [value, setValue] = useState<T>()
  const [error, setError] = useState<unknown>()
  const [tick, setTick] = useState(0)
  useEffect(() => {
    let live = true
    const run = () => {
      load().then((result) => { if (live) { setValue(result); setError(undefined) } }, (caught: unknown) => { if (live) setError(caught) })
    }
    run()
    const timer = everyMs === undefined ? undefined : setInterval(run, everyMs)
    return () => { live = false; if (timer !== undefined) clearInterval(timer) }
  }, [...deps, tick])
  return {value, error, reload: () => { setTick((count) => count + 1) }}
}

export function Section({title, children}: {title: string; children: ComponentChildren}) {
  return <section><h2>{title}</h2>{children}</section>
}
