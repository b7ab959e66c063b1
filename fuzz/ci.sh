#!/usr/bin/env bash
# Builds the fuzz target `edits` with the stable toolchain and runs it for a
# bounded time; a crash fails with the input saved under fuzz/artifacts/edits/.
#
#   bash fuzz/ci.sh [SECONDS]        # default 60; CI runs 60
#
# cargo-fuzz is not needed: the flags below are the coverage instrumentation it
# passes to rustc (all stable options). What it adds on top by default,
# AddressSanitizer (-Zsanitizer=address), needs a nightly compiler and guards
# unsafe code, of which the crate has none; it is left out. The dependencies
# are pinned by fuzz/Cargo.lock (--locked).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
seconds=${1:-60}
host=$(rustc -vV | sed -n 's/^host: //p')
# --target keeps these flags off build scripts and proc macros.
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks"
cargo build --locked --release --target "$host" --bin edits
mkdir -p corpus/edits artifacts/edits
"target/$host/release/edits" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
  -artifact_prefix=artifacts/edits/ corpus/edits
