#!/usr/bin/env bash
# Node 22 and the project's npm packages, installed only when missing or out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
# node-pty (local terminals) compiles its N-API addon at install time. Point node-gyp at the headers of
# the Node in use (the npm `node` package ships them; a system Node has them under /usr) so it never
# tries to download them; a binary built against Node 22's N-API also loads in Electron.
if [ -z "${npm_config_nodedir:-}" ]; then
  npm_config_nodedir="$(node -e '
    const fs = require("fs"), path = require("path")
    const root = path.dirname(path.dirname(fs.realpathSync(process.execPath)))
    const dirs = [root, path.join(root, "node_modules", `node-${process.platform}-${process.arch}`)]
    const found = dirs.find((d) => fs.existsSync(path.join(d, "include", "node", "node_api.h")))
    if (found) console.log(found)')"
  if [ -n "$npm_config_nodedir" ]; then export npm_config_nodedir; else unset npm_config_nodedir; fi
fi
# node-gyp builds node-pty with python3, make and a C++ compiler: bring them on Debian/Ubuntu as root,
# else say what to install (macOS: xcode-select --install).
missing_tools=()
for tool in python3 make g++; do
  command -v "$tool" >/dev/null 2>&1 || missing_tools+=("$tool")
done
if [ ${#missing_tools[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "dropdeck: installing python3 make g++ to build node-pty" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 make g++ >/dev/null
  else
    echo "dropdeck: building node-pty needs ${missing_tools[*]}; install them (Debian/Ubuntu: sudo apt-get install python3 make g++), then run this again" >&2
    exit 1
  fi
fi
# npm ci only when the lock changed since the last install: a second run starts at once.
stamp=node_modules/.dropdeck-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi
# A tree installed before node-pty was added, or whose build was removed, gets the addon built now.
if [ ! -f node_modules/node-pty/build/Release/pty.node ]; then
  npm rebuild node-pty
fi
