#!/bin/sh
# Record the URLs Jekyll gives the fixture Jekyll site: runs `jekyll build` on a temporary copy of
# tests/fixtures/jekyll-site (so nothing is written into the repository but URLS.txt) and writes
# every output HTML file as a URL path, one per line, sorted, to
# tests/fixtures/jekyll-site/URLS.txt (`a/index.html` is `/a/`, `a.html` stays `/a.html`).
# The CLI test `jekyll::fixture_urls_are_jekylls` compares semdoc's pages with that list.
#
# Needs Jekyll 4.3 (Debian: `apt-get install -y jekyll`). The fixture has no `theme:` (Debian's
# jekyll has no Chirpy gem); a `theme:` line is stripped from the copy anyway.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
fixture="$here/tests/fixtures/jekyll-site"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$fixture" "$work/site"
rm -f "$work/site/URLS.txt"
sed -i '/^theme:/d' "$work/site/_config.yml"
jekyll --version >&2
(cd "$work/site" && jekyll build --quiet --source . --destination "$work/out" >&2)
(cd "$work/out" && find . -name '*.html' -type f | sed -e 's|^\./|/|' -e 's|/index\.html$|/|' -e 's|^index\.html$|/|' | LC_ALL=C sort) >"$fixture/URLS.txt"
echo "wrote $(wc -l <"$fixture/URLS.txt") URLs to tests/fixtures/jekyll-site/URLS.txt" >&2
