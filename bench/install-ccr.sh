#!/usr/bin/env bash
# Installs the benchmark's peer, claude-code-router (npm, pinned), into a cache outside the repo and prints the
# path of its cli.js. Idempotent: a second run only verifies the install. Needs Node 20 and npm.
set -euo pipefail

VERSION="2.0.0"
PKG="@musistudio/claude-code-router@${VERSION}"
DIR="${TURNPIKE_CCR_DIR:-$HOME/.cache/turnpike/ccr-${VERSION}}"
CLI="$DIR/node_modules/@musistudio/claude-code-router/dist/cli.js"

log() { echo "install-ccr: $*" >&2; }

works() {
  local out
  out="$(HOME="$DIR" node "$CLI" -v 2>/dev/null)" || return 1
  [[ "$out" == *"$VERSION"* ]]
}

command -v node >/dev/null 2>&1 || { log "node not found on PATH"; exit 2; }
if [[ "$(node --version)" != v20.* ]]; then
  log "the peer is specified on Node 20; found $(node --version) (continuing)"
fi

if [[ -f "$CLI" ]] && works; then
  echo "$CLI"
  exit 0
fi

command -v npm >/dev/null 2>&1 || { log "npm not found on PATH"; exit 2; }
mkdir -p "$DIR"
# A private package.json keeps npm from walking up into some other project's node_modules.
[[ -f "$DIR/package.json" ]] || echo '{"name":"turnpike-ccr-cache","private":true}' > "$DIR/package.json"
log "installing $PKG into $DIR"
npm install --prefix "$DIR" --no-audit --no-fund --no-save --loglevel=error "$PKG" >&2

if ! works; then
  log "installed, but 'node $CLI -v' did not report $VERSION"
  exit 1
fi
echo "$CLI"
