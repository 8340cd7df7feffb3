/**
 * Connecting (or starting a tunnel) can stop on the operator: an unknown host key to trust by its
 * fingerprint, a changed key to refuse loudly, a key that needs its passphrase, a host that takes a
 * password (asked once: the session keeps it, the keychain too if wanted). `run` tries the
 * action and, for those errors, opens the matching dialog; once the operator has acted it tries again.
 * Other errors go to `onError`. The dialogs themselves are in ./HostKeyDialogs.tsx.
 */
import { useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react'
import { errorData } from '../../../shared/error-data'
import { useContractCall } from '../rpc/contract-queries'
import { sshKeys } from './ssh-queries'
import { MismatchDialog, PassphraseDialog, PasswordDialog, TrustKeyDialog, type Pending, type Retry } from './HostKeyDialogs'

export function useSshFlow(onError: (error: unknown, hostId: string) => void) {
  const client = useQueryClient()
  const trustKey = useContractCall('hosts.trustKey')
  const copyKeyToKnownHosts = useContractCall('hosts.copyKeyToKnownHosts')
  const unlockKey = useContractCall('hosts.unlockKey')
  const setPassword = useContractCall('hosts.setPassword')
  const [pending, setPending] = useState<Pending | null>(null)
  const onErrorRef = useRef(onError)
  useEffect(() => {
    onErrorRef.current = onError
  })

  const run = useCallback(
    async (hostId: string, action: Retry): Promise<boolean> => {
      try {
        await action()
        return true
      } catch (error) {
        const unknownKey = errorData(error, 'HOST_KEY_UNKNOWN')
        if (unknownKey) {
          const { fingerprint, keyType, host, knownTypes } = unknownKey
          setPending({ kind: 'unknown', hostId: unknownKey.hostId ?? hostId, fingerprint, keyType, host, ...(knownTypes?.length ? { knownTypes } : {}), retry: action })
          return false
        }
        const mismatch = errorData(error, 'HOST_KEY_MISMATCH')
        if (mismatch) {
          setPending({ kind: 'mismatch', hostId: mismatch.hostId ?? hostId, fingerprint: mismatch.fingerprint, file: mismatch.file, line: mismatch.line, removeCommand: mismatch.removeCommand })
          return false
        }
        const auth = errorData(error, 'AUTH_FAILED')
        if (auth?.needsPassphrase) {
          setPending({ kind: 'passphrase', hostId: auth.hostId ?? hostId, keyPath: auth.needsPassphrase, retry: action })
          return false
        }
        if (auth?.needsPassword === true) {
          setPending({ kind: 'password', hostId: auth.hostId ?? hostId, user: auth.user, wrong: auth.wrongPassword === true, retry: action, asked: Date.now() })
          return false
        }
        onErrorRef.current(error, hostId)
        return false
      } finally {
        void client.invalidateQueries({ queryKey: sshKeys.hosts })
      }
    },
    [client]
  )

  const close = () => setPending(null)
  const retryAfter = async (first: () => Promise<unknown>, retry: Retry, hostId: string) => {
    await first()
    setPending(null)
    await run(hostId, retry)
  }

  const hostLabel = (hostId: string) => {
    const host = client.getQueryData<Array<{ id: string; user: string; hostname: string; port: number }>>(sshKeys.hosts)?.find((h) => h.id === hostId)
    return host ? `${host.user}@${host.hostname}${host.port === 22 ? '' : `:${host.port}`}` : undefined
  }

  let dialog: ReactNode = null
  if (pending?.kind === 'unknown') {
    dialog = (
      <TrustKeyDialog
        pending={pending}
        address={pending.host ?? hostLabel(pending.hostId)}
        onCancel={close}
        onTrust={(alsoKnownHosts) =>
          retryAfter(
            async () => {
              await trustKey({ hostId: pending.hostId, fingerprint: pending.fingerprint })
              // Only after Dropdeck trusts it: the copy is of the key now in its own store.
              if (alsoKnownHosts) await copyKeyToKnownHosts({ hostId: pending.hostId })
            },
            pending.retry,
            pending.hostId
          )
        }
      />
    )
  } else if (pending?.kind === 'mismatch') {
    dialog = <MismatchDialog pending={pending} address={hostLabel(pending.hostId)} onClose={close} />
  } else if (pending?.kind === 'passphrase') {
    dialog = (
      <PassphraseDialog
        pending={pending}
        onCancel={close}
        onUnlock={(passphrase, remember) => retryAfter(() => unlockKey({ hostId: pending.hostId, passphrase, ...(remember ? { remember } : {}) }), pending.retry, pending.hostId)}
      />
    )
  } else if (pending?.kind === 'password') {
    dialog = (
      <PasswordDialog
        key={pending.asked}
        pending={pending}
        address={hostLabel(pending.hostId)}
        onCancel={close}
        onSubmit={(password, remember) => retryAfter(() => setPassword({ hostId: pending.hostId, password, ...(remember ? { remember } : {}) }), pending.retry, pending.hostId)}
      />
    )
  }
  return { run, dialog }
}
