#!/usr/bin/env bash
# Installs the pinned Claude Code CLI (npm) into a cache outside the repo and prints the path of `claude`.
# Idempotent: a second run only verifies the install. The package pulls a platform-specific optional dependency
# with a native binary, so the install is only accepted once `claude --version` actually runs.
set -euo pipefail

VERSION="2.1.332"
PKG="@anthropic-ai/claude-code@${VERSION}"
DIR="${TURNPIKE_CLAUDE_CODE_DIR:-$HOME/.cache/turnpike/claude-code-${VERSION}}"
BIN="$DIR/node_modules/.bin/claude"

log() { echo "install-claude-code: $*" >&2; }

works() {
  # Claude Code prints e.g. "2.1.332 (Claude Code)"; keep its own traffic off while checking.
  local out
  out="$(CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_AUTOUPDATER=1 "$BIN" --version 2>/dev/null)" || return 1
  [[ "$out" == *"$VERSION"* ]]
}

if [[ -x "$BIN" ]] && works; then
  echo "$BIN"
  exit 0
fi

command -v npm >/dev/null 2>&1 || { log "npm not found on PATH"; exit 2; }

mkdir -p "$DIR"
# A private package.json keeps npm from walking up into some other project's node_modules.
[[ -f "$DIR/package.json" ]] || echo '{"name":"turnpike-claude-code-cache","private":true}' > "$DIR/package.json"

log "installing $PKG into $DIR"
# --include=optional: the native binary lives in an optional per-platform dependency; an npm config that
# omits optional deps would leave a CLI that cannot start.
npm install --prefix "$DIR" --no-audit --no-fund --no-save --include=optional --loglevel=error "$PKG" >&2

if ! works && [[ -f "$DIR/node_modules/@anthropic-ai/claude-code/install.cjs" ]]; then
  # npm configured with ignore-scripts skips the postinstall that copies the native binary over the
  # bin/claude.exe placeholder: run it ourselves.
  log "running the package's postinstall (install.cjs) by hand"
  (cd "$DIR/node_modules/@anthropic-ai/claude-code" && node install.cjs) >&2 || true
fi

if ! works; then
  log "installed, but '$BIN --version' did not report $VERSION:"
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 "$BIN" --version >&2 || true
  exit 1
fi
echo "$BIN"
