#!/usr/bin/env bash
# The main job on the example cookbook: its resource graph, then a change plan against a throwaway
# container (Docker engine and the offline Debian base image are installed and started if missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
bash .ci/provision.sh >/dev/null
node dist/cli.js check examples/webserver
node dist/cli.js graph examples/webserver --format text
node dist/cli.js plan examples/webserver
