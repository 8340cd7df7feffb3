#!/usr/bin/env bash
# The test command: typecheck, lint, build, then every Vitest project (unit, contract, fleet, e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
source scripts/node-env.sh
exec npm test
