#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (packages, tauri-driver) and runs every test of the workspace:
# the core's unit and integration tests, the CLI end-to-end test, the app's command tests and the
# end-to-end tests of the real app under Xvfb. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# No debug info: half the disk and a faster cold build; tests do not need it.
export CARGO_PROFILE_DEV_DEBUG=false
cargo test --workspace --locked "$@"
