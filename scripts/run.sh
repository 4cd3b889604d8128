#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and launches the desktop app on its default ledger
# (a SQLite file in the user's data directory, created on first start after a short set-up).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
exec cargo run --release --locked -p relief-ledger-app "$@"
