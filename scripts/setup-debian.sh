#!/usr/bin/env bash
# Installs what building and testing the Relief Ledger desktop app needs on a fresh Debian 12.
#
# Idempotent and quick when everything is present: each Debian package is checked with `dpkg -s`,
# tauri-driver with `command -v`, and nothing is fetched when nothing is missing.
# Runs as root, or through sudo when that exists.
set -euo pipefail

APT_PACKAGES=(
  build-essential
  pkg-config
  libwebkit2gtk-4.1-dev   # WebKitGTK 4.1, the webview Tauri v2 uses on Linux
  xvfb                    # a display for the end-to-end tests
  webkit2gtk-driver       # WebKitWebDriver, which tauri-driver drives
  imagemagick             # `import -window root` screenshots while debugging
  fonts-noto-core         # Vietnamese glyphs (without such a font the UI shows boxes)
  fonts-dejavu-core
  sqlite3                 # the import benchmark's baseline (`sqlite3 .import`)
)
TAURI_DRIVER_VERSION=2.1.0

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "setup-debian.sh: run as root (no sudo found)" >&2
    exit 1
  fi
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-debian.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "setup-debian.sh: Debian packages already present"
fi

# tauri-driver: the crate registry lists 3.0 alphas as "latest", so pin the version.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if command -v tauri-driver >/dev/null 2>&1; then
  echo "setup-debian.sh: tauri-driver already installed ($(command -v tauri-driver))"
else
  if ! command -v cargo >/dev/null 2>&1; then
    echo "setup-debian.sh: cargo not found; install Rust (rustup) first" >&2
    exit 1
  fi
  echo "setup-debian.sh: installing tauri-driver $TAURI_DRIVER_VERSION"
  cargo install tauri-driver --locked --version "$TAURI_DRIVER_VERSION"
fi

echo "setup-debian.sh: done"
