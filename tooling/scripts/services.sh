#!/usr/bin/env bash
# Starts the services the test suite talks to. Idempotent: skips what is already running or created.
#
# PostgreSQL: starts the newest installed cluster (creating `main` if the version has none), then
# makes sure role `scormflow` (password `scormflow`, CREATEDB) and database `scormflow_test` exist.
# Prints the URL the tests read from SCORMFLOW_TEST_PG_URL.
set -euo pipefail

PG_ROLE=scormflow
PG_PASSWORD=scormflow
PG_DB=scormflow_test

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"
  elif [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
  else sudo -n -u postgres "$@"
  fi
}

start_postgres() {
  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    echo "postgres: not installed (run tooling/scripts/system-deps.sh); Postgres tests will skip" >&2
    return 0
  fi
  local version
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "${version} main"; then
    if [ "$(id -u)" != 0 ]; then echo "postgres: no cluster ${version}/main and not root" >&2; return 1; fi
    pg_createcluster "${version}" main >/dev/null
  fi
  local status port
  status=$(pg_lsclusters -h | awk -v v="${version}" '$1==v && $2=="main" {print $4}')
  port=$(pg_lsclusters -h | awk -v v="${version}" '$1==v && $2=="main" {print $3}')
  if [ "${status}" != online ]; then
    pg_ctlcluster "${version}" main start
  fi
  for _ in $(seq 1 50); do
    pg_isready -q -h 127.0.0.1 -p "${port}" && break
    sleep 0.2
  done
  pg_isready -q -h 127.0.0.1 -p "${port}" || { echo "postgres: not ready on port ${port}" >&2; return 1; }

  as_postgres psql -q -v ON_ERROR_STOP=1 -p "${port}" -d postgres <<SQL
SELECT 'CREATE ROLE ${PG_ROLE} LOGIN CREATEDB PASSWORD ''${PG_PASSWORD}'''
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${PG_ROLE}')\gexec
ALTER ROLE ${PG_ROLE} LOGIN CREATEDB PASSWORD '${PG_PASSWORD}';
SELECT 'CREATE DATABASE ${PG_DB} OWNER ${PG_ROLE}'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '${PG_DB}')\gexec
SQL
  echo "postgres ${version} ready: postgres://${PG_ROLE}:${PG_PASSWORD}@127.0.0.1:${port}/${PG_DB}"
}

start_postgres
echo "services ready"
