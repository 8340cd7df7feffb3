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

/**
 * For a command that does not read its stdin: the script travels as the channel's input to `sh -s`
 * (a fixed word every login shell reads the same way, as above), which spares the host the subshell
 * and the base64 process of posixCommand on every command. The script is wrapped in `{ … }` so sh
 * reads and parses all of it before running any of it: a command in it that reads stdin gets EOF, never
 * the rest of the script. Its exit status is the command's. Write `input`, then end the channel's stdin.
 */
export function posixStdinCommand(script: string): { command: string; input: string } {
  // `:` first: a group with no command in it (an empty script, or comments only) is a syntax error.
  return { command: 'sh -s', input: `{ :\n${script}\n}\n` }
}
