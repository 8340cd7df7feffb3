#!/usr/bin/awk -f
# Stand-in systemctl for the bench's sshd hosts; see fake-systemctl.ts. @LOG@ and @FIXTURES@ are
# filled in when it is installed: sudo resets the environment, so the paths cannot come from there.
# One awk process, as a real systemctl is one process: the bench runs it on 20 hosts at once, and a
# bash script with a grep or sed per unit cost several times what systemctl itself costs a host.
BEGIN {
  log_file = @LOG@
  fixtures = @FIXTURES@
  # who runs it (sudo or not): the real uid, as bash's $EUID gave it
  uid = ""
  while ((getline l < "/proc/self/status") > 0) if (l ~ /^Uid:/) { split(l, f, /[ \t]+/); uid = f[3]; break }
  close("/proc/self/status")
  printf "CALL uid=%s sudo_user=%s sudo_command=%s\n", uid, ENVIRON["SUDO_USER"], ENVIRON["SUDO_COMMAND"] >> log_file
  for (i = 1; i < ARGC; i++) printf "ARG %s\n", ARGV[i] >> log_file
  print "END" >> log_file
  close(log_file)

  verb = ""; props = ""; n = 0; after_dashes = 0
  for (i = 1; i < ARGC; i++) {
    a = ARGV[i]
    if (after_dashes) { units[++n] = a; continue }
    if (a == "--") after_dashes = 1
    else if (a ~ /^--property=/) props = substr(a, 12)
    else if (a ~ /^-/) { }
    else if (verb == "") verb = a
    else units[++n] = a
  }
  # systemctl prints only the properties asked for
  np = split(props, plist, ",")
  for (i = 1; i <= np; i++) wanted[plist[i]] = 1

  if (verb == "show") {
    # A unit the captures cover prints its capture; any other prints the captured not-found block.
    for (i = 1; i <= n; i++) {
      if (i > 1) print ""
      base = units[i]; sub(/\.service$/, "", base)
      file = fixtures "/" base ".show.txt"
      known = (getline l < file) >= 0
      if (known) close(file)
      else file = fixtures "/bogus-not-found.show.txt"
      while ((getline l < file) > 0) {
        if (!known) gsub(/bogus\.service/, base ".service", l)
        eq = index(l, "=")
        if (eq == 0) continue
        if (np == 0 || (substr(l, 1, eq - 1) in wanted)) print l
      }
      close(file)
    }
    exit 0
  }
  if (verb == "start" || verb == "stop" || verb == "restart" || verb == "reload") {
    for (i = 1; i <= n; i++) {
      base = units[i]; sub(/\.service$/, "", base)
      file = fixtures "/" base ".show.txt"
      if ((getline l < file) < 0) {
        printf "Failed to %s %s.service: Unit %s.service not found.\n", verb, base, base > "/dev/stderr"
        exit 5
      }
      close(file)
    }
    exit 0
  }
  if (verb == "list-units" || verb == "list-unit-files") {
    file = fixtures "/" verb ".txt"
    while ((getline l < file) > 0) print l
    close(file)
    exit 0
  }
  printf "fake systemctl: '%s' has no capture\n", verb > "/dev/stderr"
  exit 1
}
