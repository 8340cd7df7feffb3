/**
 * A remote text file in the editor. Save shows the diff against what is on the host now (a dry run),
 * then writes it: refused if the file changed on the host since it was opened, backed up, validated
 * (nginx -t, sshd -t, docker compose config, systemd-analyze verify) and put back if the validator
 * refuses. A passing nginx check offers the reload. `.env` values stay masked until shown.
 */
import * as Dialog from '@radix-ui/react-dialog'
import { Eye, RotateCcw, Save, X } from 'lucide-react'
import { useMemo, useState } from 'react'
import type { Result } from '../../../shared/contract'
import { errorData } from '../../../shared/error-data'
import { DropdeckError } from '../../../shared/errors'
import { useContractCall } from '../rpc/contract-queries'
import { errorMessage } from '../rpc/errors'
import { Callout } from '../ui/Callout'
import { CodeEditor, DiffView } from './CodeEditor'
import { languageFor } from './editor-languages'
import { isEnvFile, maskEnv } from './env-mask'

type Opened = Result<'files.read'>
type Saved = Result<'files.save'>

const VALIDATOR_WORDS = { nginx: 'nginx -t', sshd: 'sshd -t', compose: 'docker compose config', systemd: 'systemd-analyze verify' } as const

export function FileEditorPanel({ hostId, file, onClose, onReopen }: { hostId: string; file: Opened; onClose: () => void; onReopen: () => void }) {
  const saveFile = useContractCall('files.save')
  const unitAction = useContractCall('units.action')
  const [text, setText] = useState(file.content)
  const [version, setVersion] = useState(file.version)
  const [base, setBase] = useState(file.content)
  const env = isEnvFile(file.path)
  const [revealed, setRevealed] = useState(!env)
  const [preview, setPreview] = useState<Saved | null>(null)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<unknown>(null)
  const [saved, setSaved] = useState<Saved | null>(null)
  const [reloaded, setReloaded] = useState<string | null>(null)
  const lang = useMemo(() => languageFor(file.path), [file.path])
  const dirty = text !== base

  const review = async () => {
    setBusy(true)
    setFailure(null)
    setSaved(null)
    try {
      const dry = await saveFile({ hostId, path: file.path, content: text, expected: version, dryRun: true })
      if (!dry.added && !dry.removed) setSaved(dry)
      else setPreview(dry)
    } catch (err) {
      setFailure(err)
    } finally {
      setBusy(false)
    }
  }

  const save = async () => {
    setBusy(true)
    try {
      const result = await saveFile({ hostId, path: file.path, content: text, expected: version })
      setPreview(null)
      setSaved(result)
      setReloaded(null)
      if (result.version) setVersion(result.version)
      setBase(text)
    } catch (err) {
      setPreview(null)
      setFailure(err)
    } finally {
      setBusy(false)
    }
  }

  const reload = async (unit: string) => {
    setBusy(true)
    try {
      await unitAction({ hostId, unit, action: 'reload' })
      setReloaded(unit)
    } catch (err) {
      setFailure(err)
    } finally {
      setBusy(false)
    }
  }

  const code = failure instanceof DropdeckError ? failure.code : undefined
  // the validator's own words (nginx -t): only VALIDATION_FAILED carries them
  const output = errorData(failure, 'VALIDATION_FAILED')?.output

  return (
    <section className="files-editor" aria-label={`Editing ${file.path}`}>
      <header className="files-editor-header">
        <div className="files-editor-title">
          <span className="mono">{file.path}</span>
          <span className="files-editor-meta">
            {file.owner}:{file.group} · {(file.mode & 0o7777).toString(8).padStart(4, '0')}
            {lang && ` · ${lang.name}`}
            {file.validator && ` · checked with ${VALIDATOR_WORDS[file.validator]}`}
            {file.access === 'sudo' && ' · read through sudo (read-only)'}
          </span>
        </div>
        {env && !revealed && (
          <button type="button" className="button button-small" onClick={() => setRevealed(true)}>
            <Eye size={14} aria-hidden="true" /> Show values
          </button>
        )}
        <button type="button" className="button button-small button-primary" disabled={!dirty || busy || !revealed || file.access === 'sudo'} onClick={() => void review()}>
          <Save size={14} aria-hidden="true" /> Review and save
        </button>
        <button type="button" className="icon-button" aria-label="Close the editor" onClick={onClose}>
          <X size={15} aria-hidden="true" />
        </button>
      </header>
      {failure != null && (
        <Callout
          tone="danger"
          title={code === 'FILE_CHANGED' ? 'The file changed on the host' : code === 'VALIDATION_FAILED' ? 'The validator refused it; the previous file was put back' : 'Not saved'}
          actions={
            <>
              {code === 'FILE_CHANGED' && (
                <button type="button" className="button button-small" onClick={onReopen}>
                  <RotateCcw size={14} aria-hidden="true" /> Reopen (your edit is lost)
                </button>
              )}
              <button type="button" className="button button-small" onClick={() => setFailure(null)}>
                Dismiss
              </button>
            </>
          }
        >
          {errorMessage(failure)}
          {output && <pre className="files-validator-output">{output}</pre>}
        </Callout>
      )}
      {saved && (
        <Callout
          tone="info"
          title={saved.saved ? 'Saved' : 'Nothing to save: the host already has this text'}
          actions={
            saved.reload && !reloaded ? (
              <button type="button" className="button button-small button-primary" disabled={busy} onClick={() => void reload(saved.reload!)}>
                Reload {saved.reload}
              </button>
            ) : undefined
          }
        >
          {saved.saved && (
            <>
              +{saved.added} −{saved.removed} lines. Backup at <span className="mono">{saved.backupPath}</span>.
              {saved.validation && ` ${VALIDATOR_WORDS[saved.validation.validator]} passed.`}
              {reloaded && ` ${reloaded} reloaded.`}
            </>
          )}
        </Callout>
      )}
      <div className="files-editor-body">
        <CodeEditor
          docKey={`${file.path}:${revealed ? 'shown' : 'masked'}:${file.version.sha256}`}
          initial={revealed ? text : maskEnv(text)}
          language={lang?.extension}
          readOnly={!revealed || file.access === 'sudo'}
          onChange={revealed ? setText : undefined}
          label={`Contents of ${file.path}`}
        />
      </div>
      <Dialog.Root open={preview !== null} onOpenChange={(open) => !open && setPreview(null)}>
        <Dialog.Portal>
          <Dialog.Overlay className="dialog-overlay" />
          <Dialog.Content className="dialog-content files-diff-dialog">
            <Dialog.Title className="dialog-title">Save {file.path.split('/').pop()}?</Dialog.Title>
            <Dialog.Description className="dialog-description">
              +{preview?.added} −{preview?.removed} lines against what is on {hostId} now. A backup is kept beside it
              {file.validator ? `, and ${VALIDATOR_WORDS[file.validator]} checks it before it stays` : ''}.
            </Dialog.Description>
            {preview && <DiffView original={base} edited={text} language={lang?.extension} />}
            <div className="dialog-actions">
              <Dialog.Close asChild>
                <button type="button" className="button">
                  Keep editing
                </button>
              </Dialog.Close>
              <button type="button" className="button button-primary" disabled={busy} onClick={() => void save()}>
                {busy ? 'Saving…' : 'Save to host'}
              </button>
            </div>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </section>
  )
}
