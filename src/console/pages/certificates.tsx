/** IAM server certificates: upload, list, rename, delete. */
import {useState} from 'preact/hooks'
import {deleteServerCertificate, listServerCertificates, updateServerCertificate, uploadServerCertificate, type ServerCertificate} from '../iam.js'
import {utcDateTime} from '../time.js'
import {ConfirmButton, ErrorText, Field, usePolling} from '../ui.js'

function Rename({certificate, done}: {certificate: ServerCertificate; done: () => void}) {
  const [name, setName] = useState(certificate.name)
  const [error, setError] = useState<unknown>()
  return (
    <form class="inline" onSubmit={(event) => { event.preventDefault(); setError(undefined); updateServerCertificate(certificate.name, name).then(done, setError) }}>
      <label>New name for {certificate.name} <input value={name} onInput={(event) => { setName(event.currentTarget.value) }} /></label>
      <button type="submit">Rename</button>
      <ErrorText error={error} />
    </form>
  )
}

export function CertificatesPage() {
  const list = usePolling(() => listServerCertificates(), [])
  const [form, setForm] = useState({name: '', path: '', privateKey: '', body: '', chain: ''})
  const [error, setError] = useState<unknown>()
  const [uploaded, setUploaded] = useState<string>()
  const set = (field: keyof typeof form) => (value: string) => { setForm({...form, [field]: value}) }
  return (
    <>
      <h1 tabIndex={-1}>SSL Certificates</h1>
      <ErrorText error={list.error} />
      <div class="table-wrap">
        <table>
          <thead><tr><th>Name</th><th>Path</th><th>ARN</th><th>Uploaded</th><th>Expires</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {(list.value ?? []).map((certificate) => (
              <tr key={certificate.arn}>
                <td>{certificate.name}</td><td>{certificate.path}</td><td class="dns">{certificate.arn}</td><td>{utcDateTime(certificate.uploadDate)}</td><td>{utcDateTime(certificate.expiration)}</td>
                <td>
                  <details><summary>Rename</summary><Rename certificate={certificate} done={list.reload} /></details>
                  <ConfirmButton label="Delete" question={`Delete ${certificate.name}?`} onConfirm={async () => { await deleteServerCertificate(certificate.name); list.reload() }} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Upload a new SSL Certificate</h2>
      <form onSubmit={(event) => {
        event.preventDefault()
        setError(undefined)
        uploadServerCertificate(form).then((arn) => { setUploaded(arn); list.reload() }, setError)
      }}>
        <Field label="Certificate Name" value={form.name} onInput={set('name')} />
        <Field label="Path" value={form.path} onInput={set('path')} placeholder="/" hint="Optional; defaults to /." />
        <Field label="Private Key" multiline value={form.privateKey} onInput={set('privateKey')} />
        <Field label="Public Key Certificate" multiline value={form.body} onInput={set('body')} />
        <Field label="Certificate Chain" multiline value={form.chain} onInput={set('chain')} hint="Optional; the root certificate last." />
        <ErrorText error={error} />
        <button type="submit" class="primary">Upload</button> {uploaded === undefined ? null : <span role="status">Uploaded: {uploaded}</span>}
      </form>
    </>
  )
}
