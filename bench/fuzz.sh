#!/usr/bin/env bash
# Longer fuzz run: every target of tests/fuzz for FUZZ_SECONDS each (default 300), optimised build.
# Inputs that crash, hang or run slow are saved in target/fuzz-findings/ and named in the output.
# Usage: bench/fuzz.sh [SECONDS] [TARGET-FILTER]   e.g. bench/fuzz.sh 600 fuzz_markdown
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZ_SECONDS="${1:-300}"
# One target per core at a time.
cargo test --release --test fuzz -- --nocapture --test-threads "$(nproc)" ${2:+"$2"} 2>&1 |
  grep -E '^(fuzz |  known|  panic|    input|  took|test |test result)'
