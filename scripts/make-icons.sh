#!/usr/bin/env bash
# Draws the app's icon (the đồng sign ₫ on the app's green) and writes the icon set the bundles use into
# src-tauri/icons: PNGs for the Linux menu at 32, 64, 128, 256 and 512 px (no "@2x" names: the deb bundler
# files those under a directory the hicolor theme does not list), icon.ico for Windows. Needs ImageMagick
# and fonts-noto-core (scripts/setup-debian.sh installs both). Run it only to change the icon; the set is
# committed.
set -euo pipefail
cd "$(dirname "$0")/../src-tauri/icons"
font=/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf
green='rgb(15,110,86)'
convert -size 1024x1024 xc:none \
  -fill "$green" -draw 'roundrectangle 40,40 984,984 190,190' \
  -fill white -draw 'roundrectangle 200,200 824,824 70,70' \
  -font "$font" -pointsize 470 -fill "$green" -gravity center -annotate +0-25 '₫' \
  -depth 8 PNG32:app-icon.png
for size in 32 64 128; do
  convert app-icon.png -resize "${size}x${size}" -strip -depth 8 "PNG32:${size}x${size}.png"
done
convert app-icon.png -resize 256x256 -strip -depth 8 PNG32:256x256.png
convert app-icon.png -resize 512x512 -strip -depth 8 PNG32:icon.png
convert app-icon.png -define icon:auto-resize=256,64,48,32,24,16 icon.ico
echo "make-icons.sh: $(ls | tr '\n' ' ')"
