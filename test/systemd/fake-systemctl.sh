#!/bin/bash
# Stand-in systemctl for the bench's sshd hosts; see fake-systemctl.ts. @LOG@ and @FIXTURES@ are
# filled in when it is installed: sudo resets the environment, so the paths cannot come from there.
log=@LOG@
fixtures=@FIXTURES@
{
  echo "CALL uid=$EUID sudo_user=${SUDO_USER:-} sudo_command=${SUDO_COMMAND:-}"
  for a in "$@"; do printf 'ARG %s\n' "$a"; done
  echo END
} >> "$log"
verb=""; props=""; units=(); after_dashes=0
for a in "$@"; do
  if [ $after_dashes = 1 ]; then units+=("$a"); continue; fi
  case "$a" in
    --) after_dashes=1 ;;
    --property=*) props="${a#--property=}" ;;
    -*) ;;
    *) if [ -z "$verb" ]; then verb="$a"; else units+=("$a"); fi ;;
  esac
done
# A unit the captures cover prints its capture; any other prints the captured not-found block.
# systemctl prints only the properties asked for. Few processes: the bench runs this on 20 hosts at once.
pattern="^(${props//,/|})="
[ -n "$props" ] || pattern='='
case "$verb" in
  show)
    first=1
    for u in "${units[@]}"; do
      [ $first = 1 ] || echo
      first=0
      base="${u%.service}"
      if [ -f "$fixtures/$base.show.txt" ]; then grep -E "$pattern" "$fixtures/$base.show.txt"
      else sed "s/bogus\.service/$base.service/" "$fixtures/bogus-not-found.show.txt" | grep -E "$pattern"; fi
    done
    exit 0 # grep's "no line matched" is not systemctl's failure
    ;;
  start|stop|restart|reload)
    for u in "${units[@]}"; do
      base="${u%.service}"
      if [ ! -f "$fixtures/$base.show.txt" ]; then echo "Failed to $verb $base.service: Unit $base.service not found." >&2; exit 5; fi
    done
    ;;
  *) echo "fake systemctl: '$verb' has no capture" >&2; exit 1 ;;
esac
