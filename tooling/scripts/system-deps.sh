#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, skipping those already present.
# python3, make and g++ build better-sqlite3 from source; postgresql runs the Postgres repository tests;
# chromium runs the browser tests (driven by playwright-core).
set -euo pipefail
need=()
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v make >/dev/null 2>&1 || need+=(make)
command -v g++ >/dev/null 2>&1 || need+=(g++)
# A server binary under /usr/lib/postgresql/<version>/bin means a PostgreSQL server is installed.
if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || ! command -v pg_ctlcluster >/dev/null 2>&1; then
  need+=(postgresql)
fi
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "missing system packages: ${need[*]} (run as root to install)" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
echo "system packages ready"
