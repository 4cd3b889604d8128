#!/usr/bin/env bash
# Builds the release app and the `relief` CLI and bundles both into one Debian package with Tauri's own
# bundler: target/release/relief-ledger_<version>_<arch>.deb. Not part of the test run (it takes minutes);
# run it for a release, then scripts/test-install.sh to install that package on a clean Debian 12 root.
#
# What the package holds (src-tauri/tauri.conf.json, bundle.linux.deb):
#   /usr/bin/relief-ledger-app        the desktop app
#   /usr/bin/relief                   the command line, on the same default ledger
#   /usr/share/applications/…desktop  the menu entry "Sổ chi trả hỗ trợ COVID-19" (src-tauri/packaging/)
#   /usr/share/icons/hicolor/…        the icon at 32…512 px (src-tauri/icons, scripts/make-icons.sh)
#   /usr/share/relief-ledger/rules/   the shipped rule pack, for reference and as the start of a district's
#                                     own (`relief --rules FILE`); both programs carry it built in
# and depends on WebKitGTK 4.1 and GTK 3 (added by the bundler) and a font with Vietnamese glyphs.
#
# The build date `relief --version` and Cài đặt show is today's (SOURCE_DATE_EPOCH, unless already set).
set -euo pipefail
cd "$(dirname "$0")/.."

# The tauri-cli release that goes with the workspace's tauri 2.12 (Cargo.lock); installed only when
# missing, as building it takes minutes.
TAURI_CLI_VERSION=2.11.5

bash scripts/setup-debian.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# The bundle takes the CLI from target/release (tauri.conf.json, bundle.linux.deb.files).
unset CARGO_TARGET_DIR
if [ "$(cargo tauri --version 2>/dev/null || true)" != "tauri-cli $TAURI_CLI_VERSION" ]; then
  echo "package.sh: installing tauri-cli $TAURI_CLI_VERSION"
  cargo install tauri-cli --locked --version "$TAURI_CLI_VERSION"
fi

# The start of today in Hà Nội (UTC+7), the day build.rs writes: a second run the same day rebuilds nothing.
now=$(date +%s)
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(( (now + 7 * 3600) / 86400 * 86400 - 7 * 3600 ))}"
export SOURCE_DATE_EPOCH

# The CLI first: the bundle maps target/release/relief into the package.
cargo build --release --locked -p relief-cli
cargo tauri build --ci --bundles deb -- --locked

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
arch=$(dpkg --print-architecture)
built="target/release/bundle/deb/Relief Ledger_${version}_${arch}.deb"
deb="target/release/relief-ledger_${version}_${arch}.deb"
cp "$built" "$deb"

# The package holds what the office needs, and says what it depends on.
# (The listing's path is what follows mode, owner, size, date and time.)
contents=$(dpkg-deb --contents "$deb" | awk '{ $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print }')
for path in usr/bin/relief-ledger-app usr/bin/relief usr/share/relief-ledger/rules/hanoi-2021.toml \
  "usr/share/applications/Relief Ledger.desktop" usr/share/icons/hicolor/{32x32,64x64,128x128,256x256,512x512}/apps/relief-ledger-app.png; do
  if ! grep -qxF "$path" <<<"$contents"; then
    echo "package.sh: $path is missing from $deb" >&2
    exit 1
  fi
done
depends=$(dpkg-deb --field "$deb" Depends)
for dep in libwebkit2gtk-4.1-0 fonts-dejavu-core; do
  if ! grep -q "$dep" <<<"$depends"; then
    echo "package.sh: $deb does not depend on $dep (Depends: $depends)" >&2
    exit 1
  fi
done
menu=$(dpkg-deb --fsys-tarfile "$deb" | tar -xOf - "usr/share/applications/Relief Ledger.desktop")
if ! grep -qx 'Name=Sổ chi trả hỗ trợ COVID-19' <<<"$menu"; then
  echo "package.sh: the menu entry is not named Sổ chi trả hỗ trợ COVID-19:" >&2
  echo "$menu" >&2
  exit 1
fi

echo "package.sh: $deb ($(du -h "$deb" | cut -f1), $(dpkg-deb --field "$deb" Installed-Size) KiB installed)"
dpkg-deb --field "$deb" Package Version Architecture Depends Recommends
