#!/usr/bin/env bash
# Installs the pinned official OpenAI Node client (npm package `openai`) into a cache outside the repo and prints
# the directory whose node_modules holds it. Idempotent: a second run only verifies the install.
# 6.x because 7.x requires Node 22 and the machines run Node 20; the 6.x line has no engine bound and no
# dependencies.
set -euo pipefail

VERSION="6.30.1"
PKG="openai@${VERSION}"
DIR="${TURNPIKE_OPENAI_NODE_DIR:-$HOME/.cache/turnpike/openai-node-${VERSION}}"

log() { echo "install-openai-node: $*" >&2; }

works() {
  local out
  out="$(cd "$DIR" && node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync("node_modules/openai/package.json")).version)' 2>/dev/null)" || return 1
  [[ "$out" == "$VERSION" ]]
}

if [[ -d "$DIR/node_modules/openai" ]] && works; then
  echo "$DIR"
  exit 0
fi

command -v npm >/dev/null 2>&1 || { log "npm not found on PATH"; exit 2; }

mkdir -p "$DIR"
# A private package.json keeps npm from walking up into some other project's node_modules.
[[ -f "$DIR/package.json" ]] || echo '{"name":"turnpike-openai-node-cache","private":true}' > "$DIR/package.json"

log "installing $PKG into $DIR"
npm install --prefix "$DIR" --no-audit --no-fund --no-save --loglevel=error "$PKG" >&2

if ! works; then
  log "installed, but $DIR does not resolve openai@$VERSION"
  exit 1
fi
echo "$DIR"
