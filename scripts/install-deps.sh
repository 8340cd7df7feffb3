#!/usr/bin/env bash
# Node 22 and the project's npm packages, installed only when missing or out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
# npm ci only when the lock changed since the last install: a second run starts at once.
stamp=node_modules/.dropdeck-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi
