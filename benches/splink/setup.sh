#!/usr/bin/env bash
# Creates the Python environment for the Splink baseline (benches/splink/dedup_splink.py).
#
#   bash benches/splink/setup.sh          -> prints the venv's python path as its last line
#
# Idempotent: when the venv already holds exactly the pinned set
# (benches/splink/requirements.txt, checked by a hash stamp) it returns at once.
# SPLINK_VENV   venv location, relative to the repository root (default target/splink-venv)
# PYTHON        interpreter that creates the venv (default python3; needs Python >= 3.11)
# Needs PyPI; on Debian 12 without the venv module it installs python3-venv with apt-get.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
VENV="${SPLINK_VENV:-target/splink-venv}"
PY="${PYTHON:-python3}"
REQ="benches/splink/requirements.txt"
STAMP="$VENV/.splink-requirements.sha256"
want="$(sha256sum "$REQ" | cut -d' ' -f1)"

venv_python() { echo "$(cd "$VENV" && pwd)/bin/python"; }

if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
    venv_python
    exit 0
fi

start=$(date +%s)
# `python3 -m venv` needs ensurepip, which Debian ships apart in python3-venv
if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    echo "setup.sh: the venv module is missing; installing python3-venv" >&2
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >&2
fi

echo "setup.sh: creating $VENV and installing the pinned Splink set (about a minute)" >&2
mkdir -p "$(dirname "$VENV")"
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q \
    --only-binary=:all: -r "$REQ" >&2
"$VENV/bin/python" - <<'EOF' >&2
import duckdb, splink
from splink import DuckDBAPI  # the DuckDB backend imports
assert splink.__version__.startswith("4."), splink.__version__
print(f"setup.sh: splink {splink.__version__}, duckdb {duckdb.__version__}")
EOF
echo "$want" > "$STAMP"
echo "setup.sh: done in $(( $(date +%s) - start )) s" >&2
venv_python
