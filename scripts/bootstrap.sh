#!/usr/bin/env bash
# Idempotent set-up of a working copy: .venv from requirements-dev.lock (every transitive
# dependency pinned with its hashes, installed with --require-hashes) and, when CI=true or
# MATCHMAKER_INSTALL_SERVERS=1, the Debian servers the integration tests start (postgresql,
# redis-server) and chromium for the docs page test. Safe to run again and again: it only does
# what is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=.venv
STAMP="$VENV/.bootstrap-stamp"
PYTHON="${PYTHON:-python3}"

say() { echo "bootstrap: $*"; }

ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV with $($PYTHON --version 2>&1)"
    "$PYTHON" -m venv "$VENV"
  fi
}

requirements_changed() {
  [ -f "$STAMP" ] || return 0
  local f
  for f in requirements*.txt requirements*.lock; do
    [ "$f" -nt "$STAMP" ] && return 0
  done
  return 1
}

ensure_requirements() {
  if requirements_changed; then
    say "pip install --require-hashes -r requirements-dev.lock"
    # The filter drops pip's notes about configured local index folders that do not exist
    # (pipefail still stops the script when pip fails, e.g. on a hash mismatch).
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --require-hashes \
      -r requirements-dev.lock 2>&1 |
      { grep -v "^WARNING: Location '.*' is ignored: it is neither a file nor a directory" || true; }
    touch "$STAMP"
  fi
}

want_servers() {
  [ "${CI:-}" = "true" ] || [ "${MATCHMAKER_INSTALL_SERVERS:-}" = "1" ]
}

have_postgres() {
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null
}

# Debian's postinst scripts would start the freshly installed services; the tests start
# their own servers, so a policy-rc.d that says "no" is put in place for the install only.
apt_install() {
  local log="$1"; shift
  local policy=/usr/sbin/policy-rc.d added=0 rc=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@"; } >"$log" 2>&1 || rc=$?
  [ "$added" = 1 ] && rm -f "$policy"
  return "$rc"
}

ensure_servers() {
  local pkgs=()
  have_postgres || pkgs+=(postgresql)
  command -v redis-server >/dev/null || pkgs+=(redis-server)
  # tests/api/test_docs_browser.py renders /api/docs in a real headless Chromium.
  command -v chromium >/dev/null || pkgs+=(chromium)
  [ "${#pkgs[@]}" -gt 0 ] || return 0
  if ! command -v apt-get >/dev/null; then
    say "apt-get not found: cannot install ${pkgs[*]}; the integration tests needing them will skip"
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    say "not root: cannot apt-get install ${pkgs[*]}; install them by hand or the tests needing them skip"
    return 0
  fi
  local log start=$SECONDS
  log="$(mktemp -t matchmaker-apt.XXXXXX.log)"
  say "apt-get install ${pkgs[*]}"
  if apt_install "$log" "${pkgs[@]}"; then
    say "installed ${pkgs[*]} in $((SECONDS - start)) s"
    rm -f "$log"
  else
    say "apt-get failed (log: $log); the integration tests needing ${pkgs[*]} will skip:"
    tail -n 5 "$log" | sed 's/^/  /'
  fi
}

ensure_venv
ensure_requirements
if want_servers; then
  ensure_servers
fi
