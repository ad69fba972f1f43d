#!/usr/bin/env bash
# Kept for muscle memory: builds the current tree's release binary and runs the benchmark kit
# against it in single-build mode. Arguments go to bench.py (e.g. --quick, --scenario exec-c8).
# For A/B comparisons call loadtest/bench.py directly; see loadtest/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
exec python3 loadtest/bench.py --a target/release/shellwise "$@"
