/** ssh2's SFTP calls take callbacks; this makes one a promise. */
export function sftpCall<T = void>(run: (cb: (err: Error | undefined | null, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    run((err, value) => (err ? reject(err) : resolve(value as T)))
  })
}
