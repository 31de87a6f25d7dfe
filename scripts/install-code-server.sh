#!/usr/bin/env bash
# Installs code-server (VS Code served to a browser) for the end-to-end tests, offline-safe: from the
# npm registry only, native modules rebuilt from source, ripgrep from Debian. Idempotent; the install
# lives outside the repo in a cache folder keyed by version. Prints the install folder on stdout.
#   CODE_SERVER_HOME  where to install (default ~/.cache/cloche/code-server-<version>)
set -euo pipefail
VERSION="${CODE_SERVER_VERSION:-4.100.3}"
HOME_DIR="${CODE_SERVER_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/cloche/code-server-$VERSION}"
ENTRY="$HOME_DIR/node_modules/code-server/out/node/entry.js"
DONE="$HOME_DIR/.cloche-installed"
if [[ -f "$DONE" && -f "$ENTRY" ]]; then echo "$HOME_DIR"; exit 0; fi

log() { echo "install-code-server: $*" >&2; }
need=()
for p in ripgrep pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev build-essential python3; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if ((${#need[@]})); then
  log "apt-get install ${need[*]}"
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

rm -rf "$HOME_DIR" && mkdir -p "$HOME_DIR"
cd "$HOME_DIR"
log "npm install code-server@$VERSION into $HOME_DIR"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error --ignore-scripts "code-server@$VERSION" >&2
npm rebuild argon2 >&2
cd node_modules/code-server/lib/vscode
npm install --no-audit --no-fund --loglevel=error --ignore-scripts --omit=dev >&2
# Native modules one by one: their own install scripts would download prebuilt binaries.
for m in kerberos node-pty @parcel/watcher @vscode/spdlog @vscode/deviceid native-watchdog; do
  log "building $m"
  (cd "node_modules/$m" && npx --yes node-gyp rebuild >&2)
done
mkdir -p node_modules/@vscode/ripgrep/bin && cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar
(cd extensions && npm install --no-audit --no-fund --loglevel=error --ignore-scripts >&2)
touch "$DONE"
log "done"
echo "$HOME_DIR"
