#!/usr/bin/env bash
# Installs the package scripts/package.sh made into a clean Debian 12 (bookworm) root — no Rust, no -dev
# package, nothing of this machine's — and checks it the way an office would use it:
#   1. `apt-get install ./relief-ledger_….deb` pulls in everything it needs from the Debian mirror;
#   2. the app, started with the menu entry's command under Xvfb, shows the set-up screen in Vietnamese
#      (a screenshot read back by OCR; saved to docs/screenshots/installed-first-start.png);
#   3. `relief --version`, then `relief init` and `relief verify` on the user's default ledger, and the app
#      started again opens on the sign-in screen of that same ledger;
#   4. `apt-get remove` takes the programs away and leaves the user's ledger as it was.
# Prints the package's size, the install time and the first start's time (launch to the set-up screen on
# screen). Not part of the test run (it downloads a Debian root and takes minutes); run it before a release.
#
#   scripts/test-install.sh [PACKAGE.deb]     (default: the newest target/release/relief-ledger_*.deb)
#
# APT_OPTIONS=--no-install-recommends installs only what the package depends on (apt's default, used
# otherwise, also installs what it and its dependencies recommend).
# Runs as root (debootstrap, chroot, bind mounts). The Debian root is made once and kept as a tarball under
# /var/tmp; each run unpacks it afresh into /var/tmp/relief-install-root (RELIEF_INSTALL_ROOT names another
# place) and deletes it after passing (RELIEF_KEEP_ROOT=1 keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

deb=${1:-$(ls -t target/release/relief-ledger_*.deb 2>/dev/null | head -n1)}
if [ -z "$deb" ] || [ ! -f "$deb" ]; then
  echo "test-install.sh: no package; run scripts/package.sh first" >&2
  exit 1
fi
deb=$(realpath "$deb")
if [ "$(id -u)" -ne 0 ]; then
  echo "test-install.sh: run as root (debootstrap and chroot)" >&2
  exit 1
fi

root=${RELIEF_INSTALL_ROOT:-/var/tmp/relief-install-root}
base=/var/tmp/relief-bookworm-minbase.tar.gz
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
user=canbo
home=/home/$user
ledger=$home/.local/share/vn.reliefledger.desktop/ledger.sqlite
shot=docs/screenshots/installed-first-start.png
display=
log() { echo "test-install.sh: $*"; }
seconds_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
as_user() {
  chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME="$home" USER="$user" LANG=C.UTF-8 DISPLAY="$display" \
    /usr/sbin/runuser -u "$user" -- "$@"
}

if ! command -v debootstrap >/dev/null 2>&1; then
  log "installing debootstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap
fi

# A minimal bookworm, made once and kept as a tarball.
if [ ! -f "$base" ]; then
  log "debootstrap bookworm (minbase) from $mirror"
  tmp=$(mktemp -d /var/tmp/relief-debootstrap.XXXXXX)
  debootstrap --variant=minbase bookworm "$tmp" "$mirror"
  tar -C "$tmp" -czf "$base.part" .
  mv "$base.part" "$base"
  rm -rf "$tmp"
fi

unmount_all() {
  for m in dev/pts dev proc; do
    if mountpoint -q "$root/$m"; then umount -l "$root/$m"; fi
  done
}
cleanup() {
  # The app and Xvfb started inside the root, by their pids.
  for pidfile in "$root"/tmp/*.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  unmount_all
}
trap cleanup EXIT

# Deletes the root, never while anything is mounted under it (that would delete the host's /dev).
remove_root() {
  unmount_all
  if awk -v r="$root/" 'index($2 "/", r) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
    log "something is still mounted under $root; not deleting it" >&2
    exit 1
  fi
  rm -rf "$root"
}

remove_root
mkdir -p "$root"
tar -C "$root" -xzf "$base"
chmod 755 "$root"   # the tarball keeps debootstrap's private temporary directory mode
mount --bind /proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# Services are not started inside a chroot.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
# As an office PC has it: the release, its updates and the security updates.
cat >"$root/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian}/debian-security bookworm-security main
SOURCES

# Clean: no Rust, no development package.
if in_root sh -c 'command -v cargo || command -v rustc'; then
  log "the root has Rust" >&2
  exit 1
fi
if in_root dpkg-query -W -f '${Package}\n' | grep -- '-dev$'; then
  log "the root has -dev packages" >&2
  exit 1
fi

# An ordinary user (minbase has no useradd).
echo "$user:x:1000:1000::$home:/bin/bash" >>"$root/etc/passwd"
echo "$user:x:1000:" >>"$root/etc/group"
mkdir -p "$root$home"
chown 1000:1000 "$root$home"
export DEBIAN_FRONTEND=noninteractive
in_root apt-get update -qq

# 1. Install, as an office would.
cp "$deb" "$root/tmp/"
name=$(basename "$deb")
log "apt-get install ./$name"
start=$(date +%s.%N)
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
  sh -c "cd /tmp && apt-get install -y -q ${APT_OPTIONS:-} ./$name" >/var/tmp/relief-install-apt.log 2>&1 ||
  { cat /var/tmp/relief-install-apt.log; exit 1; }
install_seconds=$(seconds_since "$start")
newly=$(grep -c '^Setting up ' /var/tmp/relief-install-apt.log || true)
log "installed in ${install_seconds}s ($newly packages set up; apt's log: /var/tmp/relief-install-apt.log)"

# Everything the programs link is there, and a font that has Vietnamese, before any test tool is added.
for bin in /usr/bin/relief-ledger-app /usr/bin/relief; do
  if in_root ldd "$bin" | grep 'not found'; then
    log "$bin lacks a library" >&2
    exit 1
  fi
done
installed_fonts() {
  in_root dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' 'fonts-*' 2>/dev/null | awk '$1 == "ii" { printf "%s ", $2 }'
}
fonts=$(installed_fonts)
log "font packages installed with it: $fonts"
menu=$(ls "$root"/usr/share/applications/*.desktop | head -n1)
grep -qx 'Name=Sổ chi trả hỗ trợ COVID-19' "$menu" || { log "menu entry not named as the office knows it" >&2; exit 1; }
exec_cmd=$(sed -n 's/^Exec=//p' "$menu")
icon=$(sed -n 's/^Icon=//p' "$menu")
ls "$root/usr/share/icons/hicolor/"*"/apps/$icon.png" >/dev/null
log "menu entry $(basename "$menu"): Exec=$exec_cmd Icon=$icon"

# Test tools only now (none of them brings anything the app needs): a display, screenshots, OCR.
in_root apt-get install -y -q --no-install-recommends xvfb imagemagick tesseract-ocr tesseract-ocr-vie fontconfig \
  xauth >/var/tmp/relief-install-tools.log 2>&1 || { cat /var/tmp/relief-install-tools.log; exit 1; }

# A font that covers Vietnamese among what the app brought (the OCR below reads the letters back); the
# tools must not have added one.
if [ "$(installed_fonts)" != "$fonts" ]; then
  log "the test tools brought fonts of their own; the font check would prove nothing" >&2
  exit 1
fi
vi_fonts=$(in_root fc-list :lang=vi family | sort -u | tr '\n' ';')
if [ -z "$vi_fonts" ]; then
  log "no font with Vietnamese glyphs was installed" >&2
  exit 1
fi
log "fonts with Vietnamese: $vi_fonts"

# Xvfb picks a free display number itself (the host's displays share the abstract socket names).
in_root sh -c 'Xvfb -displayfd 3 -screen 0 1280x860x24 -nolisten tcp 3>/tmp/xvfb.display >/tmp/xvfb.log 2>&1 &
  echo $! >/tmp/xvfb.pid'
for _ in $(seq 100); do [ -s "$root/tmp/xvfb.display" ] && break; sleep 0.1; done
display=":$(head -n1 "$root/tmp/xvfb.display")"
log "Xvfb on $display"

ocr() { as_user tesseract "$1" - -l vie 2>/dev/null | tr -s ' \n' ' '; }

# Screenshots of the whole display until one shows `needle`, read back by OCR. A frame is read only once it
# has painted text (a blank or half-drawn window has a handful of colours, anti-aliased text hundreds);
# the time is taken when the frame was captured. Prints the seconds from `started` to the first frame that
# shows `needle`, and keeps a frame taken a second later (the page settled) as `out`. Gives up after 60 s,
# printing what the last frame read.
wait_for_screen() {
  local started=$1 needle=$2 out=$3 colours taken text= deadline
  deadline=$(($(date +%s) + 60))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if as_user import -window root /tmp/frame.png 2>/dev/null; then
      taken=$(seconds_since "$started")
      colours=$(as_user identify -format '%k' /tmp/frame.png 2>/dev/null || echo 0)
      if [ "$colours" -gt 300 ]; then
        text=$(ocr /tmp/frame.png)
        if grep -q "$needle" <<<"$text"; then
          echo "$taken"
          sleep 1
          as_user import -window root "$out"
          return 0
        fi
      fi
    fi
    sleep 0.2
  done
  log "no screen showed \"$needle\" within 60 s; the last one read: $text" >&2
  return 1
}

# 2. First start, with the menu entry's command.
log "starting $exec_cmd"
start=$(date +%s.%N)
as_user sh -c "$exec_cmd >/tmp/app.log 2>&1 & echo \$! >/tmp/app.pid"
# The set-up screen's heading, "Thiết lập sổ cho phường", read back with its Vietnamese letters.
first_start=$(wait_for_screen "$start" 'Thiết lập sổ' /tmp/first-start.png) ||
  { cat "$root/tmp/app.log" >&2; exit 1; }
mkdir -p docs/screenshots
cp "$root/tmp/first-start.png" "$shot"
log "first start: the set-up screen was on screen ${first_start}s after the start (screenshot $shot)"
kill "$(cat "$root/tmp/app.pid")"
rm "$root/tmp/app.pid"
sleep 1

# 3. The CLI on the user's default ledger — the one the app just made.
version=$(as_user relief --version)
log "relief --version: $version"
grep -q 'bộ quy tắc kèm theo hanoi-2021' <<<"$version"
as_user env RELIEF_PASSWORD=Giang-Bien-2021 relief --as "Trần Thị Lan" init --ward "Giang Biên" \
  --district "Long Biên" --city "Hà Nội"
as_user relief verify
[ -f "$root$ledger" ] || { log "no ledger at $ledger" >&2; exit 1; }
as_user relief --version >/dev/null

# The app again: the office the CLI set up, so the sign-in screen.
as_user sh -c "$exec_cmd >/tmp/app.log 2>&1 & echo \$! >/tmp/app.pid"
wait_for_screen "$(date +%s.%N)" 'Giang Biên' /tmp/second-start.png >/dev/null ||
  { log "the app did not open on the ledger relief init made" >&2; exit 1; }
log "second start: the sign-in screen of Phường Giang Biên (the ledger relief init made)"
kill "$(cat "$root/tmp/app.pid")"
rm "$root/tmp/app.pid"
sleep 1

# 4. Removing the package leaves the user's ledger.
before=$(sha256sum "$root$ledger" | cut -d' ' -f1)
in_root apt-get remove -y -q relief-ledger >/var/tmp/relief-install-remove.log 2>&1
for bin in relief relief-ledger-app; do
  if [ -e "$root/usr/bin/$bin" ]; then log "/usr/bin/$bin is still there after remove" >&2; exit 1; fi
done
after=$(sha256sum "$root$ledger" | cut -d' ' -f1)
[ "$before" = "$after" ] || { log "the ledger changed on remove" >&2; exit 1; }
log "removed; the ledger is left in place: $(ls -l "$root$ledger" | awk '{print $5, $9}')"

size=$(stat -c %s "$deb")
installed=$(dpkg-deb --field "$deb" Installed-Size)
echo
echo "package:      $(basename "$deb"), $size bytes ($(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }') MiB), Installed-Size $installed KiB"
echo "install:      ${install_seconds}s for apt-get install ./$(basename "$deb") on a minimal bookworm ($newly packages set up, downloads included)"
echo "first start:  ${first_start}s from launch to a screenshot showing the set-up screen"
# The root is 1 GB or more; RELIEF_KEEP_ROOT=1 keeps it to look around in.
if [ -z "${RELIEF_KEEP_ROOT:-}" ]; then
  for pidfile in "$root"/tmp/*.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 1
  remove_root
fi
echo "test-install.sh: passed"
