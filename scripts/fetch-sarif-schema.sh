#!/usr/bin/env bash
# Fetch the published SARIF 2.1.0 JSON schema (OASIS, final "rtm.5" revision) from the npm registry,
# where Microsoft's @microsoft/jest-sarif package ships it, into target/sarif-schema-2.1.0.json.
# tests/cli/lint.rs validates `semdoc lint --format sarif` against it; without the file the test
# skips with one line, and with SEMDOC_REQUIRE_SARIF_SCHEMA=1 (set by .ci/run) it fails instead.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/sarif-schema-2.1.0.json
[ -s "$out" ] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tgz="$tmp/microsoft-jest-sarif-1.0.0-beta.0.tgz"
if command -v npm >/dev/null; then
  (cd "$tmp" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null)
elif command -v curl >/dev/null; then
  # The same tarball, straight from the npm registry.
  curl -fsSL -o "$tgz" https://registry.npmjs.org/@microsoft/jest-sarif/-/jest-sarif-1.0.0-beta.0.tgz
else
  echo "fetch-sarif-schema.sh needs npm or curl (apt-get install -y curl)" >&2
  exit 1
fi
tar -xzf "$tgz" -C "$tmp" package/lib/schemas/sarif-2.1.0-rtm.5.json
mkdir -p target
cp "$tmp"/package/lib/schemas/sarif-2.1.0-rtm.5.json "$out"
echo "wrote $out"
