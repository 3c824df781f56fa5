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
(cd "$tmp" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null)
tar -xzf "$tmp"/microsoft-jest-sarif-*.tgz -C "$tmp" package/lib/schemas/sarif-2.1.0-rtm.5.json
mkdir -p target
cp "$tmp"/package/lib/schemas/sarif-2.1.0-rtm.5.json "$out"
echo "wrote $out"
