#!/usr/bin/env bash
# Runs Dropdeck's headless host on a fresh machine: Node 22 and packages if missing, a build if the
# sources changed, then `npm run host`. Open the printed DROPDECK_URL in a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
source scripts/node-env.sh
npm run build --silent >/dev/null
exec npm run --silent host -- "$@"
