#!/usr/bin/env bash
# Screenshots of the built article in headless Chromium (Debian's `chromium`), light and dark, at
# phone (390 px) and desktop (1280 px) widths. Writes PNGs to ${OUT:-target/screenshots}.
# PAGE, QUERY (starting with `?`) and NAME pick another page, e.g.
# PAGE=/playground/ QUERY="?kafka=2.8&config=acks%3Dall" NAME=playground scripts/screenshots.sh
# Installs chromium and a Korean font (fonts-noto-cjk) from Debian when missing and run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-target/screenshots}
PAGE=${PAGE:-/posts/kafka-delivery-semantics/}
if ! command -v chromium >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "install chromium (apt-get install -y chromium)" >&2; exit 2; }
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
if ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then
  [ "$(id -u)" = 0 ] && apt-get install -y -qq fonts-noto-cjk >/dev/null || echo "warning: no Korean font; Hangul will show as boxes" >&2
fi
cargo build --release -q
SITE=$(mktemp -d)
./target/release/semdoc build --output "$SITE/public" --base-url http://127.0.0.1:8799 >/dev/null
python3 -m http.server 8799 --bind 127.0.0.1 --directory "$SITE/public" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$SITE"' EXIT
sleep 1
mkdir -p "$OUT"
for theme in light dark; do
  for width in 390 1280; do
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --user-data-dir="$(mktemp -d)" --hide-scrollbars --window-size="$width,${HEIGHT:-5000}" \
      --virtual-time-budget=3000 --screenshot="$OUT/${NAME:-article}-$theme-$width.png" "http://127.0.0.1:8799$PAGE${QUERY:-?}&theme=$theme" 2>/dev/null
    echo "$OUT/${NAME:-article}-$theme-$width.png"
  done
done
