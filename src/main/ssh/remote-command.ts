/**
 * Every command Dropdeck runs on a host is POSIX sh. sshd hands it to the login user's shell (`$SHELL -c`),
 * which need not be sh: under fish, `\'` inside single quotes is an escape, so the quoting Dropdeck does for
 * sh would mean something else there. So the command travels base64-encoded inside one fixed word that every
 * shell (sh, bash, zsh, fish, csh) reads the same way: a single-quoted string with no quote, backslash, `!`
 * or newline in it, which starts sh and has it evaluate the decoded script. The script keeps the channel's
 * stdin (dial-stdio and the log watchdog read it) and its exit status is the command's.
 */
export function posixCommand(script: string): string {
  const encoded = Buffer.from(script, 'utf8').toString('base64')
  return `sh -c 'eval "$(echo ${encoded} | base64 -d)"'`
}
