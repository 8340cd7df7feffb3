# Source this: puts Node 22 on PATH, installing it from the npm registry's `node` package into
# .tools/node22 when the machine's Node is older (Electron 45 embeds Node 22; Vitest 5 needs it).
_dropdeck_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_dropdeck_node_version="$(cat "$_dropdeck_root/.node-version")"
_dropdeck_node_dir="$_dropdeck_root/.tools/node22"

_dropdeck_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'
}

if ! _dropdeck_node_ok; then
  if [ ! -x "$_dropdeck_node_dir/node_modules/.bin/node" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "dropdeck: Node.js $_dropdeck_node_version is needed and npm is missing; install Node.js 22 from https://nodejs.org" >&2
      return 1 2>/dev/null || exit 1
    fi
    echo "dropdeck: installing Node.js $_dropdeck_node_version from the npm registry into .tools/node22" >&2
    mkdir -p "$_dropdeck_node_dir"
    npm install --prefix "$_dropdeck_node_dir" --no-save --no-audit --no-fund --loglevel=error "node@$_dropdeck_node_version" >&2
  fi
  export PATH="$_dropdeck_node_dir/node_modules/.bin:$PATH"
fi
# Electron's own binary cannot be downloaded on every machine; the headless host does not need it.
export ELECTRON_SKIP_BINARY_DOWNLOAD="${ELECTRON_SKIP_BINARY_DOWNLOAD:-1}"
unset _dropdeck_root _dropdeck_node_version _dropdeck_node_dir
