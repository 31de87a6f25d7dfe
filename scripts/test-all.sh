#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine (as root): installs and starts what the tests
# need (Docker engine, Podman, the offline base image, Chromium, code-server), installs npm packages, runs every tier.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)   # webview and end-to-end tests
command -v dot >/dev/null 2>&1 || missing+=(graphviz)        # the DOT export is parsed by Graphviz itself
command -v rubocop >/dev/null 2>&1 || missing+=(rubocop)     # lint and format with the cookbook author's RuboCop (Debian's package)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test-all: installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "test-all: npm ci"
npm ci --no-audit --no-fund --loglevel=error
bash .ci/provision.sh
echo "test-all: code-server for the end-to-end tests (cached outside the repo)"
bash scripts/install-code-server.sh
# CI=true makes every container and browser test fail instead of skipping when its part is missing.
CI="${CI:-true}" npm test
