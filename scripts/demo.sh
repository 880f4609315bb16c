#!/usr/bin/env bash
# Quick start, part one: set the machine up (browsers from apt if missing, npm ci), build the standalone binary,
# and run the main job end to end — the binary captures the bundled demo site in Chromium and Firefox, driven by a
# real MCP client over stdio.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent build:bin
npx tsx scripts/demo.ts "$@"
