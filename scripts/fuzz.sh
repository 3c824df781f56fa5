#!/usr/bin/env bash
# Runs every cargo-fuzz target in turn for ${SECONDS_EACH:-600} s on one core and prints
# libFuzzer's final statistics (a fuzzing session, not a test). Needs a nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz`). Findings land in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
for t in ${TARGETS:-frontmatter snippet_parsers table_binding markdown classifier highlight_store}; do
  mkdir -p "corpus/$t"
  echo "== $t"
  cargo +nightly fuzz run "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="${SECONDS_EACH:-600}" -rss_limit_mb=4096 -timeout=20 -print_final_stats=1 2>&1 \
    | grep -E "stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb|ERROR|panicked|SUMMARY|Test unit written" || true
done
